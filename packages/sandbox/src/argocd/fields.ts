/*
 * The `fields` parameter of the application list
 * (pkg/apiclient/application/forwarder_overwrite.go): a comma list of
 * `items.<path>` from a fixed allow-list; a leading `-` excludes instead.
 */

/** The paths Argo CD lets a client select. */
export const ALLOWED_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.labels',
  'metadata.annotations',
  'metadata.creationTimestamp',
  'metadata.deletionTimestamp',
  'spec',
  'spec.destination',
  'spec.project',
  'spec.source',
  'spec.sources',
  'spec.syncPolicy',
  'status.summary',
  'status.sync.status',
  'status.sync.revision',
  'status.health',
  'status.operationState.phase',
  'status.operationState.startedAt',
  'status.operationState.finishedAt',
  'status.resources',
  'operation.sync',
];

type Json = Record<string, unknown>;

function getPath(obj: Json, path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[p];
  }
  return cur;
}

function setPath(obj: Json, path: string[], value: unknown) {
  let cur = obj;
  for (const p of path.slice(0, -1)) {
    if (typeof cur[p] !== 'object' || cur[p] === null) cur[p] = {};
    cur = cur[p] as Json;
  }
  cur[path[path.length - 1]] = value;
}

function deletePath(obj: Json, path: string[]) {
  const parent = getPath(obj, path.slice(0, -1));
  if (parent && typeof parent === 'object')
    delete (parent as Json)[path[path.length - 1]];
}

/** Applies a `fields` parameter to the items of an application list. */
export function applyFields(items: Json[], fields: string | null): Json[] {
  if (!fields) return items;
  const exclude = fields.startsWith('-');
  const wanted = (exclude ? fields.slice(1) : fields)
    .split(',')
    .map(f => f.trim())
    .filter(f => f.startsWith('items.'))
    .map(f => f.slice('items.'.length))
    .filter(f => ALLOWED_FIELDS.includes(f));
  if (wanted.length === 0) return items;
  return items.map(item => {
    if (exclude) {
      const copy = JSON.parse(JSON.stringify(item)) as Json;
      for (const f of wanted) deletePath(copy, f.split('.'));
      return copy;
    }
    const out: Json = {};
    for (const f of wanted) {
      const v = getPath(item, f.split('.'));
      if (v !== undefined) setPath(out, f.split('.'), v);
    }
    return out;
  });
}
