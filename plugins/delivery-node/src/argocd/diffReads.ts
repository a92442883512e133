import type { ArgoCdClient, ArgoCdReadOptions } from './ArgoCdClient';
import type { ArgoCdError } from './ArgoCdError';
import { appPath, appQuery, type Call } from './transport';
import type { ArgoCdAppRef, ArgoCdManagedResource } from './types';

type DiffReads = Pick<ArgoCdClient, 'getManagedResources' | 'getManifests'>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const STATE_FIELDS = [
  'targetState',
  'liveState',
  'normalizedLiveState',
  'predictedLiveState',
] as const;

/** One item of swagger `applicationManagedResourcesResponse`, checked field by field. */
function managedResource(item: unknown): ArgoCdManagedResource | undefined {
  if (!isObject(item) || typeof item.kind !== 'string') return undefined;
  if (typeof item.name !== 'string') return undefined;
  const out: ArgoCdManagedResource = {
    group: typeof item.group === 'string' ? item.group : '',
    kind: item.kind,
    namespace: typeof item.namespace === 'string' ? item.namespace : '',
    name: item.name,
    hook: item.hook === true,
    modified: item.modified === true,
  };
  for (const field of STATE_FIELDS) {
    const value = item[field];
    if (typeof value === 'string') out[field] = value;
  }
  return out;
}

/**
 * The reads behind drift and promotion diffs: the managed resources with
 * their live, normalized, predicted and target states, and the manifests an
 * application renders at a revision. Cached like the other live reads.
 */
export function createArgoCdDiffReads(ctx: {
  read<T>(
    instance: string,
    call: Call,
    ttlMs: number,
    options?: ArgoCdReadOptions,
    immutable?: boolean,
  ): Promise<T>;
  withProject(instance: string, app: ArgoCdAppRef): ArgoCdAppRef;
  malformed(instance: string, what: string): ArgoCdError;
  liveTtlMs: number;
  revisionMetadataTtlMs: number;
}): DiffReads {
  const { read, withProject, malformed } = ctx;
  return {
    async getManagedResources(instance, appRef, readOptions) {
      const app = withProject(instance, appRef);
      const path = `${appPath(app)}/managed-resources`;
      const result = await read<{ items?: unknown }>(
        instance,
        { method: 'GET', path, query: appQuery(app) },
        ctx.liveTtlMs,
        readOptions,
      );
      if (!isObject(result)) throw malformed(instance, `GET ${path}`);
      const items = result.items ?? [];
      if (!Array.isArray(items)) throw malformed(instance, `GET ${path}`);
      const resources = items.map(managedResource);
      if (resources.some(r => r === undefined)) {
        throw malformed(instance, `GET ${path}`);
      }
      return resources as ArgoCdManagedResource[];
    },

    async getManifests(instance, appRef, revision) {
      const app = withProject(instance, appRef);
      const path = `${appPath(app)}/manifests`;
      // a SHA renders the same manifests every time: cached like its metadata
      const immutable = /^[0-9a-f]{40}$/.test(revision);
      const result = await read<{ manifests?: unknown; revision?: unknown }>(
        instance,
        { method: 'GET', path, query: { ...appQuery(app), revision } },
        immutable ? ctx.revisionMetadataTtlMs : ctx.liveTtlMs,
        undefined,
        immutable,
      );
      if (!isObject(result)) throw malformed(instance, `GET ${path}`);
      const manifests = result.manifests ?? [];
      if (
        !Array.isArray(manifests) ||
        !manifests.every(m => typeof m === 'string')
      ) {
        throw malformed(instance, `GET ${path}`);
      }
      return {
        manifests: manifests as string[],
        ...(typeof result.revision === 'string'
          ? { revision: result.revision }
          : {}),
      };
    },
  };
}
