import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { AuditStore } from './AuditStore';
import type { AuditRetentionConfig } from './readRetentionConfig';

/** Id of the audit retention task. @public */
export const AUDIT_RETENTION_TASK_ID = 'delivery-audit-retention';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Schedules the audit retention task: across replicas exactly one moves the
 * records older than `archiveAfterDays` into the archive table. Nothing is
 * ever deleted; the archive keeps every column.
 */
export async function scheduleAuditRetention(options: {
  scheduler: SchedulerService;
  store: Pick<AuditStore, 'archiveOlderThan'>;
  config: AuditRetentionConfig;
  logger: LoggerService;
  now?: () => number;
}): Promise<void> {
  const { scheduler, store, config, logger } = options;
  const now = options.now ?? Date.now;
  await scheduler.scheduleTask({
    id: AUDIT_RETENTION_TASK_ID,
    scope: 'global',
    frequency: config.frequency,
    timeout: { minutes: 30 },
    // not in the middle of every replica's start-up
    initialDelay: { minutes: 1 },
    fn: async () => {
      const cutoff = new Date(now() - config.archiveAfterDays * DAY_MS);
      try {
        const moved = await store.archiveOlderThan(cutoff);
        logger.info(
          `Audit retention: moved ${moved} record(s) created before ${cutoff.toISOString()} to the archive`,
        );
      } catch (error) {
        logger.error(
          `Audit retention failed (records stay where they were): ${
            (error as Error).message
          }`,
        );
        throw error;
      }
    },
  });
  logger.info(
    `Audit retention on: records older than ${config.archiveAfterDays} day(s) move to the archive`,
  );
}
