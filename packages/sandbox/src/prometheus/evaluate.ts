import type { Expr, Matcher } from './promql';
import type { Labels, SeriesSample } from './series';

/** One sample of an instant vector. */
export interface Sample {
  labels: Labels;
  value: number;
}

/** The value of an evaluated expression. */
export type Value =
  | { kind: 'scalar'; value: number }
  | { kind: 'vector'; samples: Sample[] }
  | { kind: 'range'; series: SeriesSample[]; rangeMs: number };

/** An evaluation error (Prometheus' 422 execution). */
export class ExecutionError extends Error {}

/** A parse-level type error (Prometheus reports these as 400 bad_data). */
export class TypeCheckError extends Error {}

function matches(labels: Labels, m: Matcher): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(v);
    default:
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

function withoutName(labels: Labels): Labels {
  const { __name__: _, ...rest } = labels;
  return rest;
}

/** The `{a="b", ...}` signature Prometheus prints for a label set. */
export function labelString(labels: Labels): string {
  return `{${Object.keys(labels)
    .sort()
    .map(k => `${k}="${labels[k]}"`)
    .join(', ')}}`;
}

function signature(labels: Labels) {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map(k => [k, labels[k]]),
  );
}

function vector(v: Value, where: string): Sample[] {
  if (v.kind === 'vector') return v.samples;
  throw new TypeCheckError(
    `expected type instant vector in ${where}, got ${
      v.kind === 'range' ? 'range vector' : 'scalar'
    }`,
  );
}

function arith(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    default:
      throw new ExecutionError(`unsupported operator ${op}`);
  }
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    default:
      return a <= b;
  }
}

const COMPARISONS = new Set(['==', '!=', '>', '<', '>=', '<=']);

/** Prometheus' bucketQuantile (promql/quantile.go) over cumulative buckets. */
export function bucketQuantile(
  q: number,
  buckets: Array<{ le: number; count: number }>,
): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  if (sorted.length < 2 || sorted[sorted.length - 1].le !== Infinity)
    return NaN;
  const observations = sorted[sorted.length - 1].count;
  if (observations === 0) return NaN;
  const rank = q * observations;
  let b = sorted.findIndex(x => x.count >= rank);
  if (b < 0) b = sorted.length - 1;
  if (b === sorted.length - 1) return sorted[sorted.length - 2].le;
  if (b === 0 && sorted[0].le <= 0) return sorted[0].le;
  let bucketStart = 0;
  const bucketEnd = sorted[b].le;
  let count = sorted[b].count;
  let r = rank;
  if (b > 0) {
    bucketStart = sorted[b - 1].le;
    count -= sorted[b - 1].count;
    r -= sorted[b - 1].count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (r / count);
}

/**
 * Evaluates a parsed expression against the series present at one instant.
 * `before(ms)` gives the series that long before it, for `offset`.
 */
export function evaluate(
  expr: Expr,
  series: SeriesSample[],
  before?: (ms: number) => SeriesSample[],
): Value {
  const ev = (e: Expr): Value => evaluate(e, series, before);
  switch (expr.type) {
    case 'number':
      return { kind: 'scalar', value: expr.value };
    case 'negate': {
      const v = ev(expr.expr);
      if (v.kind === 'scalar') return { kind: 'scalar', value: -v.value };
      return {
        kind: 'vector',
        samples: vector(v, 'unary expression').map(s => ({
          labels: withoutName(s.labels),
          value: -s.value,
        })),
      };
    }
    case 'selector': {
      const all: Matcher[] = [
        ...(expr.name
          ? [{ name: '__name__', op: '=' as const, value: expr.name }]
          : []),
        ...expr.matchers,
      ];
      let from = series;
      if (expr.offsetMs) {
        if (!before) {
          throw new ExecutionError('offset needs the series of another time');
        }
        from = before(expr.offsetMs);
      }
      const selected = from.filter(s => all.every(m => matches(s.labels, m)));
      if (expr.rangeMs !== undefined)
        return { kind: 'range', series: selected, rangeMs: expr.rangeMs };
      return {
        kind: 'vector',
        samples: selected.map(s => ({ labels: s.labels, value: s.value })),
      };
    }
    case 'call':
      return call(expr.fn, expr.args, ev);
    case 'aggregate': {
      const samples = vector(ev(expr.expr), 'aggregation expression');
      const groups = new Map<string, { labels: Labels; values: number[] }>();
      for (const s of samples) {
        const base = withoutName(s.labels);
        const labels: Labels = {};
        for (const [k, v] of Object.entries(base)) {
          const listed = expr.grouping?.labels.includes(k) ?? false;
          const keep =
            (expr.grouping?.mode === 'by' && listed) ||
            (expr.grouping?.mode === 'without' && !listed);
          if (keep) {
            labels[k] = v;
          }
        }
        const key = signature(labels);
        const g = groups.get(key) ?? { labels, values: [] };
        g.values.push(s.value);
        groups.set(key, g);
      }
      return {
        kind: 'vector',
        samples: [...groups.values()].map(g => ({
          labels: g.labels,
          value: aggregate(expr.op, g.values),
        })),
      };
    }
    case 'binary':
      return binary(expr.op, expr.bool, ev(expr.lhs), ev(expr.rhs));
    default:
      throw new ExecutionError('unsupported expression');
  }
}

function aggregate(op: string, values: number[]): number {
  switch (op) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    default:
      return values.length;
  }
}

function call(fn: string, args: Expr[], ev: (e: Expr) => Value): Value {
  const arity: Record<string, number> = {
    rate: 1,
    irate: 1,
    increase: 1,
    histogram_quantile: 2,
    scalar: 1,
    vector: 1,
    abs: 1,
    clamp_min: 2,
    clamp_max: 2,
  };
  if (args.length !== arity[fn]) {
    throw new TypeCheckError(
      `expected ${arity[fn]} argument(s) in call to "${fn}", got ${args.length}`,
    );
  }
  const scalarArg = (e: Expr) => {
    const v = ev(e);
    if (v.kind !== 'scalar') {
      throw new TypeCheckError(
        `expected type scalar in call to function "${fn}", got instant vector`,
      );
    }
    return v.value;
  };
  switch (fn) {
    case 'rate':
    case 'irate':
    case 'increase': {
      const v = ev(args[0]);
      if (v.kind !== 'range') {
        throw new TypeCheckError(
          `expected type range vector in call to function "${fn}", got ${
            v.kind === 'vector' ? 'instant vector' : 'scalar'
          }`,
        );
      }
      return {
        kind: 'vector',
        samples: v.series.map(s => ({
          labels: withoutName(s.labels),
          value: fn === 'increase' ? (s.rate * v.rangeMs) / 1000 : s.rate,
        })),
      };
    }
    case 'histogram_quantile': {
      const q = scalarArg(args[0]);
      const samples = vector(
        ev(args[1]),
        'call to function "histogram_quantile"',
      );
      const groups = new Map<
        string,
        { labels: Labels; buckets: Array<{ le: number; count: number }> }
      >();
      for (const s of samples) {
        if (s.labels.le === undefined) continue;
        const { le, ...rest } = withoutName(s.labels);
        const key = signature(rest);
        const g = groups.get(key) ?? { labels: rest, buckets: [] };
        g.buckets.push({
          le: le === '+Inf' ? Infinity : Number(le),
          count: s.value,
        });
        groups.set(key, g);
      }
      return {
        kind: 'vector',
        samples: [...groups.values()].map(g => ({
          labels: g.labels,
          value: bucketQuantile(q, g.buckets),
        })),
      };
    }
    case 'scalar': {
      const samples = vector(ev(args[0]), 'call to function "scalar"');
      return {
        kind: 'scalar',
        value: samples.length === 1 ? samples[0].value : NaN,
      };
    }
    case 'vector':
      return {
        kind: 'vector',
        samples: [{ labels: {}, value: scalarArg(args[0]) }],
      };
    default: {
      const samples = vector(ev(args[0]), `call to function "${fn}"`);
      const bound = fn === 'abs' ? 0 : scalarArg(args[1]);
      const f = (x: number) => {
        if (fn === 'abs') return Math.abs(x);
        return fn === 'clamp_min' ? Math.max(x, bound) : Math.min(x, bound);
      };
      return {
        kind: 'vector',
        samples: samples.map(s => ({
          labels: withoutName(s.labels),
          value: f(s.value),
        })),
      };
    }
  }
}

function setOperation(op: string, lhs: Value, rhs: Value): Value {
  if (lhs.kind !== 'vector' || rhs.kind !== 'vector') {
    throw new TypeCheckError(
      `set operator "${op}" not allowed in binary scalar expression`,
    );
  }
  const key = (s: Sample) => signature(withoutName(s.labels));
  const right = new Set(rhs.samples.map(key));
  if (op === 'and') {
    return {
      kind: 'vector',
      samples: lhs.samples.filter(s => right.has(key(s))),
    };
  }
  if (op === 'unless') {
    return {
      kind: 'vector',
      samples: lhs.samples.filter(s => !right.has(key(s))),
    };
  }
  const left = new Set(lhs.samples.map(key));
  return {
    kind: 'vector',
    samples: [...lhs.samples, ...rhs.samples.filter(s => !left.has(key(s)))],
  };
}

function binary(op: string, bool: boolean, lhs: Value, rhs: Value): Value {
  if (op === 'and' || op === 'or' || op === 'unless') {
    return setOperation(op, lhs, rhs);
  }
  const isComparison = COMPARISONS.has(op);
  if (isComparison && !bool && lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    throw new TypeCheckError(
      'comparisons between scalars must use BOOL modifier',
    );
  }
  const apply = (a: number, b: number): number | undefined => {
    if (!isComparison) return arith(op, a, b);
    const ok = compare(op, a, b);
    if (bool) return ok ? 1 : 0;
    return ok ? a : undefined;
  };
  if (lhs.kind === 'range' || rhs.kind === 'range') {
    throw new TypeCheckError(
      'binary expression must contain only scalar and instant vector types',
    );
  }
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    return { kind: 'scalar', value: apply(lhs.value, rhs.value)! };
  }
  if (lhs.kind === 'vector' && rhs.kind === 'scalar') {
    return {
      kind: 'vector',
      samples: lhs.samples.flatMap(s => {
        const v = apply(s.value, rhs.value);
        const labels = isComparison && !bool ? s.labels : withoutName(s.labels);
        return v === undefined
          ? []
          : [{ labels, value: isComparison && !bool ? s.value : v }];
      }),
    };
  }
  if (lhs.kind === 'scalar' && rhs.kind === 'vector') {
    return {
      kind: 'vector',
      samples: rhs.samples.flatMap(s => {
        const v = apply(lhs.value, s.value);
        const labels = isComparison && !bool ? s.labels : withoutName(s.labels);
        return v === undefined
          ? []
          : [{ labels, value: isComparison && !bool ? s.value : v }];
      }),
    };
  }
  const l = (lhs as { samples: Sample[] }).samples;
  const r = (rhs as { samples: Sample[] }).samples;
  const right = new Map<string, Sample>();
  for (const s of r) {
    const key = signature(withoutName(s.labels));
    if (right.has(key)) {
      throw new ExecutionError(
        `found duplicate series for the match group ${labelString(
          withoutName(s.labels),
        )} on the right hand-side of the operation: [${labelString(
          right.get(key)!.labels,
        )}, ${labelString(
          s.labels,
        )}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    right.set(key, s);
  }
  const seen = new Set<string>();
  const out: Sample[] = [];
  for (const s of l) {
    const key = signature(withoutName(s.labels));
    if (seen.has(key)) {
      throw new ExecutionError(
        `found duplicate series for the match group ${labelString(
          withoutName(s.labels),
        )} on the left hand-side of the operation;many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    seen.add(key);
    const match = right.get(key);
    if (!match) continue;
    const v = apply(s.value, match.value);
    if (v === undefined) continue;
    out.push({
      labels: isComparison && !bool ? s.labels : withoutName(s.labels),
      value: isComparison && !bool ? s.value : v,
    });
  }
  return { kind: 'vector', samples: out };
}
