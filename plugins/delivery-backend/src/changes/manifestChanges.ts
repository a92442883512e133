import type {
  ImageChange,
  ResourceChange,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { diffObjects } from '../diff/diffObjects';
import { redactPair } from '../diff/redactSecrets';

type Obj = Record<string, any>;

const isObject = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Argo CD's rendered manifests (JSON strings) as objects; others dropped. */
export function parseManifests(manifests: string[]): Obj[] {
  return manifests.flatMap(m => {
    try {
      const o = JSON.parse(m);
      return isObject(o) ? [o] : [];
    } catch {
      return [];
    }
  });
}

const groupOf = (o: Obj) => {
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
};

const keyOf = (o: Obj) =>
  [groupOf(o), o.kind, o.metadata?.namespace ?? '', o.metadata?.name].join(
    '\u0000',
  );

/**
 * The resources that change from `before` (the baseline's manifests) to
 * `after` (the promoted revision's), each redacted (Secrets) before it is
 * compared.
 */
export function manifestChanges(before: Obj[], after: Obj[]): ResourceChange[] {
  const left = new Map(before.map(o => [keyOf(o), o]));
  const right = new Map(after.map(o => [keyOf(o), o]));
  const out: ResourceChange[] = [];
  for (const key of new Set([...left.keys(), ...right.keys()])) {
    const { live: b, desired: a } = redactPair(left.get(key), right.get(key));
    const o = (a ?? b) as Obj;
    const ref = {
      group: groupOf(o),
      kind: String(o.kind ?? ''),
      namespace: String(o.metadata?.namespace ?? ''),
      name: String(o.metadata?.name ?? ''),
    };
    if (!b) out.push({ ...ref, change: 'added', changes: [] });
    else if (!a) out.push({ ...ref, change: 'removed', changes: [] });
    else {
      const changes = diffObjects(b, a);
      if (changes.length) out.push({ ...ref, change: 'modified', changes });
    }
  }
  return out;
}

/** Every container image the manifests name (Pod templates, Rollouts, ...). */
export function imagesOf(objects: Obj[]): string[] {
  const images = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      for (const [k, child] of Object.entries(v)) {
        if (
          (k === 'containers' || k === 'initContainers') &&
          Array.isArray(child)
        ) {
          for (const c of child) {
            if (isObject(c) && typeof c.image === 'string') images.add(c.image);
          }
        }
        walk(child);
      }
    }
  };
  objects.forEach(walk);
  return [...images];
}

/** `repo:tag@sha256:...` split into its parts. */
export function imageVersion(reference: string) {
  const at = reference.indexOf('@');
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  const named = at >= 0 ? reference.slice(0, at) : reference;
  const colon = named.lastIndexOf(':');
  const tagged = colon > named.lastIndexOf('/');
  return {
    repository: tagged ? named.slice(0, colon) : named,
    version: {
      reference,
      ...(tagged ? { tag: named.slice(colon + 1) } : {}),
      ...(digest ? { digest } : {}),
    },
  };
}

/** The images whose tag or digest differs, by repository. */
export function imageChanges(before: string[], after: string[]): ImageChange[] {
  const byRepo = (list: string[]) =>
    new Map(list.map(imageVersion).map(i => [i.repository, i.version]));
  const b = byRepo(before);
  const a = byRepo(after);
  const out: ImageChange[] = [];
  for (const repository of new Set([...b.keys(), ...a.keys()])) {
    const was = b.get(repository);
    const is = a.get(repository);
    if (was?.reference === is?.reference) continue;
    out.push({
      repository,
      ...(was ? { before: was } : {}),
      ...(is ? { after: is } : {}),
    });
  }
  return out;
}
