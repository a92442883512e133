import type {
  GateEvidence,
  GateOutcome,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { mannWhitneyU } from './mannWhitney';

/** Settings of the "canary no worse than stable" comparison. */
export interface CanaryComparisonOptions {
  /** `below`: lower values are healthier (error rate, latency). */
  comparison: 'below' | 'above';
  /** Significance level of the one-sided test. Default 0.05. */
  alpha?: number;
  /** Smallest effect (rank-biserial, 0..1) that counts as worse. Default 0.3. */
  minEffect?: number;
  /** Fewest non-missing values per side to judge at all. Default 8. */
  minSamples?: number;
}

/** The judgement of canary against stable. */
export interface CanaryComparison {
  outcome: GateOutcome;
  reason: string;
  evidence: GateEvidence[];
}

const round = (v: number, digits = 4) => Number(v.toFixed(digits));

/**
 * Judges whether the canary's series is worse than the stable's (what
 * Kayenta-style canary analysis does): worse only when a one-sided
 * Mann-Whitney U test is significant AND the effect is at least
 * `minEffect`, so a tiny but "significant" shift on lots of data does not
 * block, and noise on little data does not either. Missing values (NaN,
 * gaps) are dropped; too few left gives `unknown`.
 */
export function compareCanaryToStable(
  canary: Array<number | null>,
  stable: Array<number | null>,
  options: CanaryComparisonOptions,
): CanaryComparison {
  const alpha = options.alpha ?? 0.05;
  const minEffect = options.minEffect ?? 0.3;
  const minSamples = options.minSamples ?? 8;
  const c = canary.filter((v): v is number => v !== null && Number.isFinite(v));
  const s = stable.filter((v): v is number => v !== null && Number.isFinite(v));
  const sizes: GateEvidence[] = [
    { label: 'canary samples', value: c.length, threshold: minSamples },
    { label: 'stable samples', value: s.length, threshold: minSamples },
  ];
  if (c.length < minSamples || s.length < minSamples) {
    return {
      outcome: 'unknown',
      reason: `Too little data to compare canary with stable (${c.length} and ${s.length} samples; need ${minSamples} each).`,
      evidence: sizes,
    };
  }
  // "worse" means greater when lower is healthier, and less otherwise
  const alternative = options.comparison === 'below' ? 'greater' : 'less';
  const test = mannWhitneyU(c, s, alternative);
  const worseEffect =
    options.comparison === 'below' ? test.effect : -test.effect;
  const evidence: GateEvidence[] = [
    ...sizes,
    { label: 'Mann-Whitney U', value: round(test.u, 2) },
    {
      label: 'p-value (one-sided)',
      value: round(test.pValue),
      threshold: alpha,
    },
    {
      label: 'effect (rank-biserial, worse > 0)',
      value: round(worseEffect, 3),
      threshold: minEffect,
    },
  ];
  if (test.pValue < alpha && worseEffect >= minEffect) {
    return {
      outcome: 'fail',
      reason: `The canary is worse than stable (p = ${round(
        test.pValue,
      )} < ${alpha}, effect ${round(worseEffect, 3)} ≥ ${minEffect}).`,
      evidence,
    };
  }
  return {
    outcome: 'pass',
    reason:
      worseEffect < 0
        ? `The canary is no worse than stable (it is better; effect ${round(
            worseEffect,
            3,
          )}).`
        : `The canary is no worse than stable (p = ${round(
            test.pValue,
          )}, effect ${round(worseEffect, 3)}).`,
    evidence,
  };
}
