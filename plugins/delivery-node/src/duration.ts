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

/**
 * The unit a plain number stands for in a duration key's older form
 * (`timeoutMs`, `ttlSeconds`, `recordIntervalMinutes`).
 *
 * @public
 */
export type DurationNumberUnit = 'milliseconds' | 'seconds' | 'minutes';

const NUMERIC = /^-?\d+(\.\d+)?$/;

const MS_PER: Record<DurationNumberUnit, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
};

/** Options of readConfigDurationMs. @public */
export interface ReadConfigDurationOptions {
  /** The full key, for messages (default: `key`). */
  name?: string;
  /** A plain number is a number of seconds (same as `numberUnit: 'seconds'`). */
  allowSeconds?: boolean;
  /**
   * What a plain number counts (the key's older form); without it (and
   * without `allowSeconds`) a plain number is refused.
   */
  numberUnit?: DurationNumberUnit;
}

/**
 * Reads a duration from config in milliseconds, or undefined when the key
 * is absent: a Backstage HumanDuration (`{ minutes: 10 }`, `PT10M`, `10m`)
 * or, with `numberUnit` (or `allowSeconds`), a plain number of that unit.
 * A value that is neither, or a negative one, throws an error naming the
 * key.
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
  const unit =
    options.numberUnit ?? (options.allowSeconds ? 'seconds' : undefined);
  const value = config.get(key);
  let ms: number;
  // a numeric string counts as the number, as config.getNumber reads it
  if (unit && typeof value === 'string' && NUMERIC.test(value.trim())) {
    ms = Number(value) * MS_PER[unit];
  } else if (unit && typeof value === 'number') {
    ms = value * MS_PER[unit];
  } else {
    try {
      ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
    } catch (error) {
      throw new Error(
        `${name} must be ${
          unit ? `a number of ${unit} or ` : ''
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

/** Options of readDurationKey. @public */
export interface ReadDurationKeyOptions {
  /** What a plain number counts (the key's older form, e.g. `timeoutMs`). */
  numberUnit: DurationNumberUnit;
  /** The value when the key (or the config) is absent, in milliseconds. */
  fallbackMs: number;
  /** The least value allowed, counted in `numberUnit` (default 1). */
  min?: number;
  /** The block the key is in, for messages (e.g. `delivery.argocd`). */
  prefix: string;
}

/**
 * Reads a duration key that used to be a plain number (`timeoutMs`,
 * `ttlSeconds`, ...), in milliseconds: the number in its unit, as before,
 * or a Backstage HumanDuration (`{ seconds: 10 }`, `PT10S`, `10s`). The
 * fallback when absent; a value under `min`, or one that is neither, stops
 * start-up naming the key.
 *
 * @public
 */
export function readDurationKey(
  config: Config | undefined,
  key: string,
  options: ReadDurationKeyOptions,
): number {
  if (!config) return options.fallbackMs;
  const ms = readConfigDurationMs(config, key, {
    name: `${options.prefix}.${key}`,
    numberUnit: options.numberUnit,
  });
  if (ms === undefined) return options.fallbackMs;
  const min = options.min ?? 1;
  if (ms < min * MS_PER[options.numberUnit]) {
    throw new Error(
      `${options.prefix}: ${key} must be a number >= ${min} (${options.numberUnit}) or a duration at least as long`,
    );
  }
  return ms;
}
