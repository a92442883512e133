import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { readDurationFromConfig, type Config } from '@backstage/config';

/** `delivery.audit.retention`, read once at start-up. @public */
export interface AuditRetentionConfig {
  /** Records created more than this many days ago are moved to the archive. */
  archiveAfterDays: number;
  /** How often the retention task runs. */
  frequency: SchedulerServiceTaskScheduleDefinition['frequency'];
}

const KEY = 'delivery.audit.retention';

/**
 * Reads `delivery.audit.retention`; undefined (retention off) when absent.
 * Errors name the key, so a typo fails the start-up instead of silently
 * archiving on another schedule.
 */
export function readRetentionConfig(
  config: Config,
): AuditRetentionConfig | undefined {
  const retention = config.getOptionalConfig(KEY);
  if (!retention) return undefined;
  const archiveAfterDays = retention.getNumber('archiveAfterDays');
  if (
    !Number.isInteger(archiveAfterDays) ||
    archiveAfterDays < 1 ||
    archiveAfterDays > 36500
  ) {
    throw new Error(
      `${KEY}.archiveAfterDays must be a whole number of days between 1 and 36500, got ${archiveAfterDays}`,
    );
  }
  let frequency: AuditRetentionConfig['frequency'] = { hours: 24 };
  if (retention.has('frequency')) {
    const value = retention.get('frequency');
    if (
      typeof value === 'object' &&
      value !== null &&
      'cron' in value &&
      typeof value.cron === 'string'
    ) {
      frequency = { cron: value.cron };
    } else {
      try {
        frequency = readDurationFromConfig(retention, { key: 'frequency' });
      } catch (error) {
        throw new Error(
          `${KEY}.frequency must be a duration ({ hours: 24 }, an ISO 8601 duration such as P1D) or { cron: '...' }: ${
            (error as Error).message
          }`,
        );
      }
    }
  }
  return { archiveAfterDays, frequency };
}
