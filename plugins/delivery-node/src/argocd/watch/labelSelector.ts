/** One term of a Kubernetes label selector. */
interface Requirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!exists';
  values: string[];
}

/** A parsed label selector, or undefined when the text is not one. */
export type LabelSelector = Requirement[];

/**
 * Parses a Kubernetes label selector (`a=b`, `a==b`, `a!=b`,
 * `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, comma-separated), the syntax
 * Argo CD's `selector` parameter takes. Undefined when the text is none of
 * these: the caller then asks Argo CD instead of matching locally.
 */
export function parseLabelSelector(text: string): LabelSelector | undefined {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  const out: Requirement[] = [];
  for (const raw of terms) {
    const term = raw.trim();
    if (!term) {
      if (terms.length === 1) return [];
      return undefined;
    }
    const set = /^([\w./-]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term);
    if (set) {
      const values = set[3].split(',').map(v => v.trim());
      out.push({ key: set[1], op: set[2] as 'in' | 'notin', values });
      continue;
    }
    const eq = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(term);
    if (eq) {
      out.push({
        key: eq[1],
        op: eq[2] === '!=' ? 'notin' : 'in',
        values: [eq[3]],
      });
      continue;
    }
    const exists = /^(!?)\s*([\w./-]+)$/.exec(term);
    if (exists) {
      out.push({
        key: exists[2],
        op: exists[1] ? '!exists' : 'exists',
        values: [],
      });
      continue;
    }
    return undefined;
  }
  return out;
}

/** Whether labels satisfy every term of the selector. */
export function matchesLabels(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  return selector.every(r => {
    const value = labels?.[r.key];
    switch (r.op) {
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
      case 'exists':
        return value !== undefined;
      default:
        return value === undefined;
    }
  });
}

/** Whether every Application `narrower` selects is also selected by `wider`. */
export function selectorCovers(
  wider: LabelSelector,
  narrower: LabelSelector,
): boolean {
  const key = (r: Requirement) =>
    `${r.key}\u0000${r.op}\u0000${[...r.values].sort().join(',')}`;
  const terms = new Set(narrower.map(key));
  return wider.every(r => terms.has(key(r)));
}
