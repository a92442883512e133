/*
 * Kubernetes label selectors as Argo CD parses them (labels.Parse):
 * `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
 */

/** One requirement of a label selector. */
export interface Requirement {
  key: string;
  op: 'eq' | 'neq' | 'in' | 'notin' | 'exists' | 'notexists';
  values: string[];
}

/** A selector that did not parse. */
export class SelectorError extends Error {}

const KEY =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of selector) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += c;
  }
  terms.push(current);
  return terms.map(t => t.trim()).filter(t => t.length > 0);
}

function checkKey(key: string) {
  if (!KEY.test(key) || key.length > 316) {
    throw new SelectorError(
      `unable to parse requirement: invalid label key "${key}"`,
    );
  }
}

function checkValue(value: string) {
  if (!VALUE.test(value) || value.length > 63) {
    throw new SelectorError(
      `unable to parse requirement: invalid label value: "${value}"`,
    );
  }
}

/** Parses a label selector. */
export function parseSelector(selector: string): Requirement[] {
  return splitTerms(selector).map(term => {
    let m = /^!\s*(\S+)$/.exec(term);
    if (m) {
      checkKey(m[1]);
      return { key: m[1], op: 'notexists', values: [] };
    }
    m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(term);
    if (m) {
      checkKey(m[1]);
      const values = m[3].split(',').map(v => v.trim());
      values.forEach(checkValue);
      return { key: m[1], op: m[2] as 'in' | 'notin', values };
    }
    m = /^([^=!<>\s]+)\s*(==|!=|=)\s*(\S*)$/.exec(term);
    if (m) {
      checkKey(m[1]);
      checkValue(m[3]);
      return { key: m[1], op: m[2] === '!=' ? 'neq' : 'eq', values: [m[3]] };
    }
    if (/^[^=!<>\s(),]+$/.test(term)) {
      checkKey(term);
      return { key: term, op: 'exists', values: [] };
    }
    throw new SelectorError(
      `unable to parse requirement: found '${term}', expected: identifier`,
    );
  });
}

/** Whether labels satisfy every requirement. */
export function matchesSelector(
  labels: Record<string, string>,
  requirements: Requirement[],
): boolean {
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = labels[r.key];
    switch (r.op) {
      case 'eq':
        return has && v === r.values[0];
      case 'neq':
        return !has || v !== r.values[0];
      case 'in':
        return has && r.values.includes(v);
      case 'notin':
        return !has || !r.values.includes(v);
      case 'exists':
        return has;
      default:
        return !has;
    }
  });
}
