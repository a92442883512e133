/** A parsed Kubernetes label selector: every term must hold. */
export type LabelSelector = (labels: Record<string, string>) => boolean;

type Term = (labels: Record<string, string>) => boolean;

const KEY =
  /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Splits on the commas that are not inside a set's parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  terms.push(current.trim());
  return terms;
}

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key)) {
    throw new Error(`label selector "${selector}": invalid key "${key}"`);
  }
  return key;
}

function checkValue(value: string, selector: string): string {
  if (!VALUE.test(value)) {
    throw new Error(`label selector "${selector}": invalid value "${value}"`);
  }
  return value;
}

function parseTerm(term: string, selector: string): Term {
  const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const key = checkKey(set[1], selector);
    const values = set[3].split(',').map(v => checkValue(v.trim(), selector));
    return set[2] === 'in'
      ? labels => key in labels && values.includes(labels[key])
      : labels => !(key in labels) || !values.includes(labels[key]);
  }
  const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (equality) {
    const key = checkKey(equality[1], selector);
    const value = checkValue(equality[3], selector);
    return equality[2] === '!='
      ? labels => labels[key] !== value
      : labels => labels[key] === value;
  }
  if (term.startsWith('!')) {
    const key = checkKey(term.slice(1).trim(), selector);
    return labels => !(key in labels);
  }
  const key = checkKey(term, selector);
  return labels => key in labels;
}

/**
 * Parses a label selector as Argo CD's `selector` parameter takes it
 * (Kubernetes syntax: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`,
 * `k notin (a,b)`), so that the fleet matches one instance-wide
 * Application list to every entity instead of listing per entity. Throws
 * with the selector quoted when it cannot be parsed.
 */
export function parseLabelSelector(selector: string): LabelSelector {
  const terms = splitTerms(selector.trim());
  if (terms.some(t => t === '')) {
    throw new Error(`label selector "${selector}": empty term`);
  }
  const parsed = terms.map(t => parseTerm(t, selector));
  return labels => parsed.every(term => term(labels));
}
