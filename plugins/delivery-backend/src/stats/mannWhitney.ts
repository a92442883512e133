/**
 * The Mann-Whitney U test (Wilcoxon rank-sum), normal approximation with tie
 * and continuity correction. Small on purpose: no statistics package on the
 * registry here offers it for unequal, tied samples with a one-sided
 * alternative, and the whole test is a few lines of arithmetic.
 */

/** Result of a Mann-Whitney U test of `a` against `b`. */
export interface MannWhitneyResult {
  /** U statistic of sample `a`. */
  u: number;
  /** Standard normal statistic (0 when every value ties). */
  z: number;
  /** p-value for the alternative chosen. */
  pValue: number;
  /**
   * Rank-biserial correlation in [-1, 1]: the probability that a value of
   * `a` exceeds one of `b`, minus the reverse. The effect size.
   */
  effect: number;
}

/** Which difference the test looks for. */
export type Alternative = 'greater' | 'less' | 'two-sided';

/** Ranks of the pooled values (1-based, ties share their mean rank). */
function ranks(values: number[]): { ranks: number[]; tieTerm: number } {
  const order = values
    .map((value, index) => ({ value, index }))
    .sort((x, y) => x.value - y.value);
  const result = new Array<number>(values.length);
  let tieTerm = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1].value === order[i].value) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) result[order[k].index] = rank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  return { ranks: result, tieTerm };
}

/** Standard normal cumulative distribution (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 +
      t *
        (-0.284496736 +
          t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Tests whether values of `a` tend to be greater (or less) than those of `b`.
 * Both samples must be non-empty and finite.
 */
export function mannWhitneyU(
  a: number[],
  b: number[],
  alternative: Alternative = 'two-sided',
): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) {
    throw new Error('mannWhitneyU needs two non-empty samples');
  }
  if ([...a, ...b].some(v => !Number.isFinite(v))) {
    throw new Error('mannWhitneyU needs finite values');
  }
  const { ranks: r, tieTerm } = ranks([...a, ...b]);
  const rankSumA = r.slice(0, n1).reduce((s, x) => s + x, 0);
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const effect = (2 * u) / (n1 * n2) - 1;
  if (variance <= 0) {
    return { u, z: 0, pValue: 1, effect };
  }
  const sd = Math.sqrt(variance);
  const diff = u - mean;
  const z = diff / sd;
  let pValue: number;
  if (alternative === 'greater') {
    pValue = 1 - normalCdf((diff - 0.5) / sd);
  } else if (alternative === 'less') {
    pValue = normalCdf((diff + 0.5) / sd);
  } else {
    pValue = Math.min(1, 2 * (1 - normalCdf((Math.abs(diff) - 0.5) / sd)));
  }
  return { u, z, pValue: Math.max(0, Math.min(1, pValue)), effect };
}
