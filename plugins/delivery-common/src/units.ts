/*
 * Values as people read them: every number the plugins print (gate reasons
 * and evidence, SLO charts, analysis measurements, DORA figures) goes
 * through these functions, so a ratio is always a percentage, a time always
 * ms, s or a duration in words, and nothing shows more than three
 * significant digits. The exact value stays in the JSON and in tooltips.
 */

/**
 * The unit of a printed value: `ratio` (0..1, printed as a percentage),
 * `percent`, `seconds`, `milliseconds`, `minutes`, `hours`, `count`,
 * `per-day`; any other string is printed after the number.
 *
 * @public
 */
export type QuantityUnit =
  | 'ratio'
  | 'percent'
  | 'seconds'
  | 'milliseconds'
  | 'minutes'
  | 'hours'
  | 'count'
  | 'per-day'
  | (string & {});

/** How a threshold bounds a value: `below` is healthy while value ≤ threshold. @public */
export type QuantityComparison = 'below' | 'above';

const SIG3 = new Intl.NumberFormat('en-US', {
  maximumSignificantDigits: 3,
  useGrouping: true,
});

/** A plain number with at most three significant digits (`1,230`, `0.0384`). @public */
export function formatNumber(value: number): string {
  // -0 and values that round to zero print as 0, never as "-0"
  const text = SIG3.format(value);
  return text === '-0' ? '0' : text;
}

/** A duration in seconds in words: `850 ms`, `4.2 s`, `3 min 4 s`, `2 h 5 min`, `3 d 4 h`. @public */
export function formatSeconds(seconds: number): string {
  const abs = Math.abs(seconds);
  const sign = seconds < 0 ? '-' : '';
  if (abs === 0) return '0 s';
  if (abs < 1) return `${sign}${formatNumber(abs * 1000)} ms`;
  if (abs < 60) return `${sign}${formatNumber(abs)} s`;
  const whole = Math.round(abs);
  let parts: [number, string, number, string];
  if (whole < 3600) {
    parts = [Math.floor(whole / 60), 'min', whole % 60, 's'];
  } else if (whole < 172_800) {
    parts = [
      Math.floor(whole / 3600),
      'h',
      Math.floor((whole % 3600) / 60),
      'min',
    ];
  } else {
    parts = [
      Math.floor(whole / 86_400),
      'd',
      Math.floor((whole % 86_400) / 3600),
      'h',
    ];
  }
  const [big, bigUnit, small, smallUnit] = parts;
  return `${sign}${big} ${bigUnit}${small ? ` ${small} ${smallUnit}` : ''}`;
}

function isMissing(value: unknown): value is null | undefined {
  return (
    value === null ||
    value === undefined ||
    (typeof value === 'number' && !Number.isFinite(value))
  );
}

/**
 * A value in its unit, at most three significant digits: `0.0384%` for the
 * ratio 0.000384, `235 ms` for 0.235 seconds, `3.8 min`, `1.2 / day`; "no
 * data" for null, undefined, NaN or infinity. A string value is returned as
 * it is (a phase, an image) unless it is a number, which is formatted.
 *
 * @public
 */
export function formatQuantity(
  value: number | string | null | undefined,
  unit?: QuantityUnit,
): string {
  if (isMissing(value)) return 'no data';
  let number: number;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    // only a plain decimal number is a number; `[0.1, 0.2]`, `1.5.0` are text
    if (!/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(trimmed)) return value;
    number = Number(trimmed);
  } else {
    number = value;
  }
  switch (unit) {
    case 'ratio':
      return `${formatNumber(number * 100)}%`;
    case 'percent':
      return `${formatNumber(number)}%`;
    case 'seconds':
      return formatSeconds(number);
    case 'milliseconds':
      return formatSeconds(number / 1000);
    case 'minutes':
      return Math.abs(number) < 60
        ? `${formatNumber(number)} min`
        : formatSeconds(number * 60);
    case 'hours':
      if (Math.abs(number) < 1) return `${formatNumber(number * 60)} min`;
      if (Math.abs(number) < 48) return `${formatNumber(number)} h`;
      return `${formatNumber(number / 24)} d`;
    case 'count':
      return Number.isInteger(number)
        ? number.toLocaleString('en-US')
        : formatNumber(number);
    case 'per-day':
      return number >= 1 || number === 0
        ? `${formatNumber(number)} / day`
        : `${formatNumber(number * 7)} / week`;
    case undefined:
    case '':
      return formatNumber(number);
    default:
      return `${formatNumber(number)} ${unit}`;
  }
}

/** The comparison sign that holds while healthy: `≤` for `below`, `≥` for `above`. @public */
export function comparisonSign(comparison: QuantityComparison): string {
  return comparison === 'below' ? '≤' : '≥';
}

/**
 * A value against the threshold it is bounded by, both printed the same
 * way: `0.04% ≤ 0.1%` while healthy, `0.2% > 0.1%` when not.
 *
 * @public
 */
export function formatAgainstThreshold(
  value: number | null | undefined,
  threshold: number,
  comparison: QuantityComparison,
  unit?: QuantityUnit,
): string {
  const bound = formatQuantity(threshold, unit);
  if (isMissing(value))
    return `no data (threshold ${comparisonSign(comparison)} ${bound})`;
  const healthy =
    comparison === 'below' ? value <= threshold : value >= threshold;
  const breached = comparison === 'below' ? '>' : '<';
  const sign = healthy ? comparisonSign(comparison) : breached;
  return `${formatQuantity(value, unit)} ${sign} ${bound}`;
}
