import type { Config } from '@backstage/config';

/**
 * Reads an optional number of `config` that must be at least `min`
 * (default 1), or `fallback` when the key (or the config) is absent. A
 * smaller or non-finite value throws an error naming `prefix: key`.
 *
 * @public
 */
export function readConfigNumber(
  config: Config | undefined,
  key: string,
  options: { fallback: number; min?: number; prefix: string },
): number {
  const min = options.min ?? 1;
  const value = config?.getOptionalNumber(key);
  if (value === undefined) return options.fallback;
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`${options.prefix}: ${key} must be a number >= ${min}`);
  }
  return value;
}
