/*
 * A parser for the subset of PromQL the Delivery plugins and the scaffolder
 * template send: numbers, selectors with all four matcher kinds, range
 * selectors, rate/irate/increase, histogram_quantile, scalar/vector/abs,
 * sum/avg/min/max/count with by/without, arithmetic, comparisons and
 * the set operators and/or/unless.
 * Anything else is a parse error (Prometheus' 400 bad_data).
 */

/** A label matcher. */
export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A PromQL expression tree. */
export type Expr =
  | { type: 'number'; value: number }
  | {
      type: 'selector';
      name?: string;
      matchers: Matcher[];
      rangeMs?: number;
      /** `offset <duration>`: evaluated that long before the query's time. */
      offsetMs?: number;
    }
  | { type: 'call'; fn: string; args: Expr[] }
  | {
      type: 'aggregate';
      op: string;
      grouping?: { mode: 'by' | 'without'; labels: string[] };
      param?: Expr;
      expr: Expr;
    }
  | { type: 'binary'; op: string; lhs: Expr; rhs: Expr; bool: boolean }
  | { type: 'negate'; expr: Expr };

/** A PromQL parse error with Prometheus' `line:col: parse error:` prefix. */
export class ParseError extends Error {}

const FUNCTIONS = new Set([
  'rate',
  'irate',
  'increase',
  'histogram_quantile',
  'scalar',
  'vector',
  'abs',
  'clamp_min',
  'clamp_max',
]);
const AGGREGATES = new Set(['sum', 'avg', 'min', 'max', 'count']);
const UNSUPPORTED_KEYWORDS = new Set([
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'topk',
  'bottomk',
  'quantile',
  'stddev',
  'stdvar',
  'count_values',
  'group',
]);

type Token =
  | { kind: 'num'; value: number; pos: number }
  | { kind: 'str'; value: string; pos: number }
  | { kind: 'ident'; value: string; pos: number }
  | { kind: 'dur'; value: number; pos: number }
  | { kind: 'op'; value: string; pos: number }
  | { kind: 'eof'; pos: number };

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

/** Parses a Prometheus duration (`5m`, `1h30m`) into milliseconds. */
export function parsePromDuration(text: string): number | undefined {
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    matched = re.lastIndex;
  }
  return matched === text.length && text.length > 0 ? total : undefined;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const err = (pos: number, msg: string) =>
    new ParseError(`1:${pos + 1}: parse error: ${msg}`);
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < input.length && input[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'" || c === '`') {
      let value = '';
      i++;
      while (i < input.length && input[i] !== c) {
        if (input[i] === '\\' && c !== '`') {
          const next = input[i + 1];
          value +=
            ({ n: '\n', t: '\t' } as Record<string, string>)[next] ?? next;
          i += 2;
        } else {
          value += input[i++];
        }
      }
      if (i >= input.length) throw err(start, 'unterminated quoted string');
      i++;
      tokens.push({ kind: 'str', value, pos: start });
      continue;
    }
    if (c === '[') {
      const close = input.indexOf(']', i);
      if (close < 0) throw err(start, 'unclosed left bracket');
      const text = input.slice(i + 1, close).trim();
      const ms = parsePromDuration(text);
      if (ms === undefined) {
        throw err(start + 1, `bad number or duration syntax: "${text}"`);
      }
      tokens.push({ kind: 'dur', value: ms, pos: start });
      i = close + 1;
      continue;
    }
    const num = /^(?:0x[0-9a-fA-F]+|\d*\.?\d+(?:[eE][+-]?\d+)?|Inf|NaN)/.exec(
      input.slice(i),
    );
    if (num && /[\d.]/.test(c)) {
      tokens.push({ kind: 'num', value: Number(num[0]), pos: start });
      i += num[0].length;
      continue;
    }
    const ident = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(input.slice(i));
    if (ident) {
      const word = ident[0];
      tokens.push(
        word === 'Inf' || word === 'NaN'
          ? { kind: 'num', value: word === 'Inf' ? Infinity : NaN, pos: start }
          : { kind: 'ident', value: word, pos: start },
      );
      i += word.length;
      if (word === 'offset') {
        // `offset 5m`: the duration follows without brackets
        while (i < input.length && /\s/.test(input[i])) i++;
        const dur = /^-?[0-9a-z]+/.exec(input.slice(i));
        const text = dur?.[0] ?? '';
        const negative = text.startsWith('-');
        const ms = parsePromDuration(negative ? text.slice(1) : text);
        if (ms === undefined) {
          throw err(i, `bad number or duration syntax: "${text}"`);
        }
        tokens.push({ kind: 'dur', value: negative ? -ms : ms, pos: i });
        i += text.length;
      }
      continue;
    }
    const op = /^(==|!=|>=|<=|=~|!~|[-+*/%^(){},=<>])/.exec(input.slice(i));
    if (op) {
      tokens.push({ kind: 'op', value: op[0], pos: start });
      i += op[0].length;
      continue;
    }
    throw err(start, `unexpected character: '${c}'`);
  }
  tokens.push({ kind: 'eof', pos: input.length });
  return tokens;
}

const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '>': 3,
  '<': 3,
  '>=': 3,
  '<=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
};

/** Parses a PromQL expression; throws ParseError for anything outside the subset. */
export function parsePromQL(input: string): Expr {
  const tokens = tokenize(input);
  let p = 0;
  const peek = () => tokens[p];
  const err = (pos: number, msg: string) =>
    new ParseError(`1:${pos + 1}: parse error: ${msg}`);
  const expectOp = (value: string, what: string) => {
    const t = tokens[p];
    if (t.kind !== 'op' || t.value !== value) {
      throw err(t.pos, `unexpected ${describe(t)}${what}`);
    }
    p++;
  };
  /** Consumes `)`; `what` ends the message of anything else. */
  const expectClosingParen = (what: string) => {
    const close = tokens[p];
    if (close.kind === 'eof') throw err(close.pos, 'unclosed left parenthesis');
    expectOp(')', what);
  };

  function describe(t: Token): string {
    if (t.kind === 'eof') return 'end of input';
    if (t.kind === 'ident') return `identifier "${t.value}"`;
    if (t.kind === 'str') return `string "${t.value}"`;
    if (t.kind === 'num' || t.kind === 'dur') return 'number';
    return `"${t.value}"`;
  }

  function labelList(): string[] {
    expectOp('(', ' in grouping opts, expected "("');
    const labels: string[] = [];
    while (
      !(peek().kind === 'op' && (peek() as { value: string }).value === ')')
    ) {
      const t = tokens[p++];
      if (t.kind !== 'ident')
        throw err(
          t.pos,
          `unexpected ${describe(t)} in grouping opts, expected label`,
        );
      labels.push(t.value);
      const n = peek();
      if (n.kind === 'op' && n.value === ',') p++;
    }
    p++;
    return labels;
  }

  function matchers(): Matcher[] {
    const out: Matcher[] = [];
    expectOp('{', '');
    for (;;) {
      const t = tokens[p];
      if (t.kind === 'op' && t.value === '}') {
        p++;
        return out;
      }
      if (t.kind === 'eof')
        throw err(t.pos, 'unexpected end of input inside braces');
      if (t.kind !== 'ident')
        throw err(
          t.pos,
          `unexpected ${describe(t)} in label matching, expected label`,
        );
      p++;
      const op = tokens[p++];
      if (op.kind !== 'op' || !['=', '!=', '=~', '!~'].includes(op.value)) {
        throw err(
          op.pos,
          `unexpected ${describe(
            op,
          )} in label matching, expected label matching operator`,
        );
      }
      const v = tokens[p++];
      if (v.kind !== 'str')
        throw err(
          v.pos,
          `unexpected ${describe(v)} in label matching, expected string`,
        );
      if (op.value === '=~' || op.value === '!~') {
        try {
          RegExp(`^(?:${v.value})$`);
        } catch {
          throw err(v.pos, `invalid regular expression "${v.value}"`);
        }
      }
      out.push({
        name: t.value,
        op: op.value as Matcher['op'],
        value: v.value,
      });
      const n = tokens[p];
      if (n.kind === 'op' && n.value === ',') p++;
    }
  }

  function withOffset(e: Expr): Expr {
    const t = peek();
    if (!(t.kind === 'ident' && t.value === 'offset')) return e;
    if (e.type !== 'selector' || e.offsetMs !== undefined) {
      throw err(
        t.pos,
        'offset modifier must be preceded by an instant vector selector or range vector selector',
      );
    }
    p++;
    const d = tokens[p] as Token;
    if (d.kind !== 'dur') throw err(d.pos, 'unexpected offset');
    p++;
    // a second offset is an error, as in Prometheus
    return withOffset({ ...e, offsetMs: d.value });
  }

  function withRange(e: Expr): Expr {
    const t = peek();
    if (t.kind === 'dur') {
      if (e.type !== 'selector')
        throw err(t.pos, 'ranges only allowed for vector selectors');
      p++;
      return withOffset({ ...e, rangeMs: t.value });
    }
    if (t.kind === 'ident' && UNSUPPORTED_KEYWORDS.has(t.value)) {
      throw err(t.pos, `the sandbox does not support "${t.value}"`);
    }
    return withOffset(e);
  }

  function primary(): Expr {
    const t = tokens[p];
    if (t.kind === 'num') {
      p++;
      return { type: 'number', value: t.value };
    }
    if (t.kind === 'op' && t.value === '(') {
      p++;
      const e = expr(0);
      expectClosingParen('');
      return withRange(e);
    }
    if (t.kind === 'op' && t.value === '{') {
      const m = matchers();
      if (
        !m.some(
          x =>
            !(x.op === '=' && x.value === '') &&
            !(x.op === '=~' && /^(\.\*)?$/.test(x.value)),
        )
      ) {
        throw err(
          t.pos,
          'vector selector must contain at least one non-empty matcher',
        );
      }
      return withRange({ type: 'selector', matchers: m });
    }
    if (t.kind === 'op' && (t.value === '-' || t.value === '+')) {
      p++;
      const inner = primary();
      return t.value === '-' ? { type: 'negate', expr: inner } : inner;
    }
    if (t.kind === 'ident') {
      p++;
      const next = peek();
      if (AGGREGATES.has(t.value)) return aggregate(t.value);
      if (UNSUPPORTED_KEYWORDS.has(t.value)) {
        throw err(t.pos, `the sandbox does not support "${t.value}"`);
      }
      if (next.kind === 'op' && next.value === '(') {
        if (!FUNCTIONS.has(t.value))
          throw err(t.pos, `unknown function with name "${t.value}"`);
        p++;
        const args: Expr[] = [];
        while (
          !(peek().kind === 'op' && (peek() as { value: string }).value === ')')
        ) {
          if (peek().kind === 'eof')
            throw err(peek().pos, 'unclosed left parenthesis');
          args.push(expr(0));
          const n = peek();
          if (n.kind === 'op' && n.value === ',') p++;
        }
        p++;
        return withRange({ type: 'call', fn: t.value, args });
      }
      const m = next.kind === 'op' && next.value === '{' ? matchers() : [];
      return withRange({ type: 'selector', name: t.value, matchers: m });
    }
    throw err(
      t.pos,
      t.kind === 'eof'
        ? 'no expression found in input'
        : `unexpected ${describe(t)}`,
    );
  }

  function aggregate(op: string): Expr {
    let grouping: { mode: 'by' | 'without'; labels: string[] } | undefined;
    const g = peek();
    if (g.kind === 'ident' && (g.value === 'by' || g.value === 'without')) {
      p++;
      grouping = { mode: g.value, labels: labelList() };
    }
    expectOp('(', ' in aggregation, expected "("');
    const body = expr(0);
    const n = peek();
    if (n.kind === 'op' && n.value === ',') {
      throw err(n.pos, `the sandbox does not support parameters to ${op}`);
    }
    expectClosingParen(' in aggregation');
    const after = peek();
    if (
      !grouping &&
      after.kind === 'ident' &&
      (after.value === 'by' || after.value === 'without')
    ) {
      p++;
      grouping = { mode: after.value, labels: labelList() };
    }
    return { type: 'aggregate', op, grouping, expr: body };
  }

  function expr(minPrec: number): Expr {
    let lhs = primary();
    for (;;) {
      const t = peek();
      if (t.kind === 'ident' && UNSUPPORTED_KEYWORDS.has(t.value)) {
        throw err(t.pos, `the sandbox does not support "${t.value}"`);
      }
      const isSetOp =
        t.kind === 'ident' && ['and', 'or', 'unless'].includes(t.value);
      if (!isSetOp && (t.kind !== 'op' || !(t.value in PRECEDENCE))) {
        return lhs;
      }
      if (t.kind !== 'op' && t.kind !== 'ident') return lhs;
      const prec = PRECEDENCE[t.value];
      if (prec < minPrec) return lhs;
      p++;
      let bool = false;
      const b = peek();
      if (b.kind === 'ident' && b.value === 'bool') {
        bool = true;
        p++;
      }
      const rhs = expr(prec + 1);
      lhs = { type: 'binary', op: t.value, lhs, rhs, bool };
    }
  }

  const result = expr(0);
  const end = peek();
  if (end.kind !== 'eof') {
    throw err(end.pos, `unexpected ${describe(end)}`);
  }
  return result;
}
