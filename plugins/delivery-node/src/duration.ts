import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/**
 * Parses an Argo Rollouts duration (a canary step's `pause.duration`): a
 * whole number of seconds, or a string such as `30s`, `10m`, `1h` or `5`
 * (the Rollout CRD's `^[0-9]+(s|m|h)?$`). Returns the seconds, or
 * undefined for anything else.
 *
 * @public
 */
export function parseRolloutDuration(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+)(s|m|h)?$/.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[match[2] ?? 's'];
}

/**
 * Formats seconds the way a Rollout spec writes them (`10m`, `1h`, `90s`).
 *
 * @public
 */
export function formatRolloutDuration(seconds: number): string {
  if (seconds % 3600 === 0 && seconds > 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0 && seconds > 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** Options of readConfigDurationMs. @public */
export interface ReadConfigDurationOptions {
  /** The full key, for messages (default: `key`). */
  name?: string;
  /** A plain number is a number of seconds (the older keys' form). */
  allowSeconds?: boolean;
}

/**
 * Reads a duration from config in milliseconds, or undefined when the key
 * is absent: a Backstage HumanDuration (`{ minutes: 10 }`, `PT10M`, `10m`)
 * or, with `allowSeconds`, a number of seconds. A value that is neither, or
 * a negative one, throws an error naming the key.
 *
 * @public
 */
export function readConfigDurationMs(
  config: Config,
  key: string,
  options: ReadConfigDurationOptions = {},
): number | undefined {
  if (!config.has(key)) return undefined;
  const name = options.name ?? key;
  const value = config.get(key);
  let ms: number;
  if (options.allowSeconds && typeof value === 'number') {
    ms = value * 1000;
  } else {
    try {
      ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
    } catch (error) {
      throw new Error(
        `${name} must be ${
          options.allowSeconds ? 'a number of seconds or ' : ''
        }a duration such as { minutes: 10 }, PT10M or 10m: ${
          (error as Error).message
        }`,
      );
    }
  }
  if (!Number.isFinite(ms) || ms < 0) {
    throw new Error(`${name} must not be negative`);
  }
  return ms;
}
