import type { SloDefinition } from './sloDefinitions';

/** Status of one value against an SLO threshold. @public */
export type SloStatus = 'ok' | 'breach' | 'unknown';

/** Whether `value` keeps the SLO; unknown when there is no finite value. @public */
export function sloStatus(
  value: number | null,
  slo: Pick<SloDefinition, 'threshold' | 'comparison'>,
): SloStatus {
  if (value === null || !Number.isFinite(value)) return 'unknown';
  const ok =
    slo.comparison === 'below'
      ? value <= slo.threshold
      : value >= slo.threshold;
  return ok ? 'ok' : 'breach';
}

/**
 * How far a value is towards (< 1) or beyond (> 1) its threshold, so that
 * SLOs of different units can be ranked.
 */
export function thresholdPressure(
  value: number,
  slo: Pick<SloDefinition, 'threshold' | 'comparison'>,
): number {
  const { threshold } = slo;
  if (slo.comparison === 'below') {
    if (threshold === 0) return value > 0 ? Number.POSITIVE_INFINITY : 0;
    return value / threshold;
  }
  if (value <= 0) return threshold > 0 ? Number.POSITIVE_INFINITY : 0;
  return threshold / value;
}

/** One SLO's canary value, as input to `worstSlo`. @public */
export interface SloValue {
  name: string;
  value: number | null;
  threshold: number;
  comparison: 'below' | 'above';
}

/** The summary of several SLOs: breach if any breaches, ok if all are ok. @public */
export interface WorstSlo {
  status: SloStatus;
  worst?: { name: string; value: number | null; threshold: number };
}

/**
 * Picks the SLO furthest beyond (or closest to) its threshold. A breach
 * wins; otherwise an SLO without data makes the whole status unknown.
 */
export function worstSlo(values: SloValue[]): WorstSlo {
  if (values.length === 0) return { status: 'unknown' };
  let worst: SloValue | undefined;
  let worstPressure = Number.NEGATIVE_INFINITY;
  let anyUnknown: SloValue | undefined;
  for (const v of values) {
    if (sloStatus(v.value, v) === 'unknown') {
      anyUnknown ??= v;
      continue;
    }
    const pressure = thresholdPressure(v.value as number, v);
    if (pressure > worstPressure) {
      worst = v;
      worstPressure = pressure;
    }
  }
  const pick = (v: SloValue) => ({
    name: v.name,
    value: v.value,
    threshold: v.threshold,
  });
  if (worst && sloStatus(worst.value, worst) === 'breach') {
    return { status: 'breach', worst: pick(worst) };
  }
  if (anyUnknown) return { status: 'unknown', worst: pick(anyUnknown) };
  return { status: 'ok', worst: worst && pick(worst) };
}
