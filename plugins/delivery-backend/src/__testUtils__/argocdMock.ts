import { http, HttpResponse, delay, type HttpHandler } from 'msw';
import type {
  ArgoCdApplication,
  ArgoCdApplicationTree,
  ArgoCdResourceNode,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { RolloutObject } from '../services/overview/rolloutTypes';
import { jsonFixture } from './fixtures';

/** A fault an instance (or some of its routes) shows. */
export type MockFault =
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'hang'; ms: number }
  | { kind: 'network' }
  | { kind: 'malformed' };

/** The state of one simulated Argo CD instance. */
export interface MockArgoCdInstance {
  url: string;
  /** Accepted bearer tokens; empty = any. */
  tokens?: string[];
  login?: { username: string; password: string; token: string };
  apps: ArgoCdApplication[];
  trees?: Record<string, ArgoCdApplicationTree>;
  /** Live objects by `<app>/<kind>/<namespace>/<name>`. */
  resources?: Record<string, object>;
  actions?: Record<string, Array<{ name: string; disabled: boolean }>>;
  metadata?: Record<string, object>;
  /** Faults by a regex on `METHOD path`. */
  faults?: Array<{ match: RegExp; fault: MockFault }>;
}

/** One call the mock received. */
export interface MockCall {
  instance: string;
  method: string;
  path: string;
  search: string;
  authorization?: string;
}

/**
 * An Argo CD application built from the recorded guestbook application
 * (fixtures/argocd/application-guestbook-synced.json) with the given changes.
 */
export function mockApplication(options: {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  namespace?: string;
  project?: string;
  images?: string[];
  revision?: string;
  source?: ArgoCdApplication['spec'] extends infer S
    ? S extends { source?: infer X }
      ? X
      : never
    : never;
  sources?: Array<{
    repoURL: string;
    chart?: string;
    path?: string;
    targetRevision?: string;
  }>;
  sync?: string;
  health?: string;
  history?: any[];
  revisions?: string[];
}): ArgoCdApplication {
  const app = jsonFixture('argocd/application-guestbook-synced.json');
  app.metadata.name = options.name;
  app.metadata.namespace = options.namespace ?? 'argocd';
  app.metadata.labels = options.labels ?? {};
  if (options.annotations) app.metadata.annotations = options.annotations;
  app.spec.project = options.project ?? 'default';
  if (options.source) app.spec.source = options.source;
  if (options.sources) {
    delete app.spec.source;
    app.spec.sources = options.sources;
  }
  const revision = options.revision ?? app.status.sync.revision;
  app.status.sync.revision = options.revisions ? undefined : revision;
  if (options.revisions) app.status.sync.revisions = options.revisions;
  app.status.sync.status = options.sync ?? 'Synced';
  app.status.health = { status: options.health ?? 'Healthy' };
  app.status.summary = { images: options.images ?? [] };
  app.status.history = options.history ?? [
    { ...app.status.history[0], revision, id: 0 },
  ];
  return app;
}

/**
 * A resource tree (swagger `v1alpha1ApplicationTree`) for an application
 * that owns a Rollout: the Rollout, its ReplicaSets (with images) and its
 * AnalysisRuns, each with parentRefs as Argo CD reports them.
 */
export function mockRolloutTree(
  rollout: RolloutObject,
  options: {
    replicaSets?: Record<string, string[]>;
    analysisRuns?: string[];
    health?: { status: string; message?: string };
  } = {},
): ArgoCdApplicationTree {
  const name = rollout.metadata!.name!;
  const namespace = rollout.metadata!.namespace!;
  const uid = rollout.metadata?.uid ?? `${name}-uid`;
  const parent = {
    group: 'argoproj.io',
    kind: 'Rollout',
    namespace,
    name,
    uid,
  };
  const nodes: ArgoCdResourceNode[] = [
    {
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Rollout',
      namespace,
      name,
      uid,
      info: [{ name: 'Revision', value: 'Rev:2' }],
      health: options.health,
      createdAt: '2026-11-27T10:00:00Z',
    },
    {
      version: 'v1',
      kind: 'Service',
      namespace,
      name,
      uid: `${name}-svc`,
      health: { status: 'Healthy' },
    },
    // As Argo CD does, images are reported on the Pods, not the ReplicaSets.
    ...Object.entries(options.replicaSets ?? {}).flatMap(([hash, images]) => [
      {
        group: 'apps',
        version: 'v1',
        kind: 'ReplicaSet',
        namespace,
        name: `${name}-${hash}`,
        uid: `${name}-${hash}-uid`,
        parentRefs: [parent],
        info: [{ name: 'Revision', value: 'Rev:1' }],
        health: { status: 'Healthy' },
      },
      {
        version: 'v1',
        kind: 'Pod',
        namespace,
        name: `${name}-${hash}-abcde`,
        uid: `${name}-${hash}-pod-uid`,
        parentRefs: [
          {
            group: 'apps',
            kind: 'ReplicaSet',
            namespace,
            name: `${name}-${hash}`,
            uid: `${name}-${hash}-uid`,
          },
        ],
        images,
        info: [{ name: 'Status Reason', value: 'Running' }],
        health: { status: 'Healthy' },
      },
    ]),
    ...(options.analysisRuns ?? []).map(run => ({
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'AnalysisRun',
      namespace,
      name: run,
      uid: `${run}-uid`,
      parentRefs: [parent],
    })),
  ];
  return { nodes, orphanedNodes: [] };
}

/** Key of a live object in MockArgoCdInstance.resources. */
export function resourceKey(
  app: string,
  kind: string,
  namespace: string,
  name: string,
) {
  return `${app}/${kind}/${namespace}/${name}`;
}

function json(body: unknown, status = 200) {
  return HttpResponse.json(body as any, { status });
}

/** msw handlers serving the given instances; every call is recorded. */
export function argocdHandlers(
  instances: Record<string, MockArgoCdInstance>,
  calls: MockCall[],
): HttpHandler[] {
  return Object.entries(instances).map(([instance, state]) =>
    http.all(`${state.url}/api/v1/*`, async ({ request }) => {
      const url = new URL(request.url);
      const base = new URL(state.url).pathname.replace(/\/$/, '');
      const path = url.pathname.slice(base.length);
      const authorization = request.headers.get('authorization') ?? undefined;
      calls.push({
        instance,
        method: request.method,
        path,
        search: url.search,
        authorization,
      });
      const fault = state.faults?.find(f =>
        f.match.test(`${request.method} ${path}`),
      )?.fault;
      if (fault?.kind === 'hang') {
        await delay(fault.ms);
        return json({}, 504);
      }
      if (fault?.kind === 'network') return HttpResponse.error();
      if (fault?.kind === 'status') {
        return new HttpResponse(fault.body ?? '<html>error</html>', {
          status: fault.status,
        });
      }
      if (fault?.kind === 'malformed') {
        return new HttpResponse('{"items": [', {
          headers: { 'Content-Type': 'application/json' },
        });
      }

      if (request.method === 'POST' && path === '/api/v1/session') {
        const body = (await request.json()) as any;
        if (
          state.login &&
          body?.username === state.login.username &&
          body?.password === state.login.password
        ) {
          return json({ token: state.login.token });
        }
        return json(jsonFixture('argocd/error-401-no-session.json'), 401);
      }
      const bearer = authorization?.replace(/^Bearer /, '');
      const accepted = [
        ...(state.tokens ?? []),
        ...(state.login ? [state.login.token] : []),
      ];
      if (accepted.length > 0 && (!bearer || !accepted.includes(bearer))) {
        return json(jsonFixture('argocd/error-401-no-session.json'), 401);
      }

      const q = url.searchParams;
      if (request.method === 'GET' && path === '/api/v1/applications') {
        const selector = q.get('selector');
        const items = state.apps.filter(app => {
          if (q.get('name') && app.metadata.name !== q.get('name'))
            return false;
          const ns = q.get('appNamespace');
          if (ns && app.metadata.namespace !== ns) return false;
          const projects = q.getAll('projects');
          if (projects.length && !projects.includes(app.spec?.project ?? ''))
            return false;
          if (selector) {
            return selector.split(',').every(term => {
              const [k, v] = term.split('=');
              return app.metadata.labels?.[k.trim()] === v?.trim();
            });
          }
          return true;
        });
        return json({ metadata: {}, items: items.length ? items : null });
      }
      const match = /^\/api\/v1\/applications\/([^/]+)(\/.*)?$/.exec(path);
      if (!match) return json({ error: 'Not Found' }, 404);
      const appName = decodeURIComponent(match[1]);
      const rest = match[2] ?? '';
      const app = state.apps.find(
        a =>
          a.metadata.name === appName &&
          (!q.get('appNamespace') ||
            a.metadata.namespace === q.get('appNamespace')),
      );
      if (!app) {
        return json(
          jsonFixture('argocd/error-403-permission-denied.json'),
          403,
        );
      }
      if (request.method === 'GET' && rest === '') return json(app);
      if (request.method === 'GET' && rest === '/resource-tree') {
        return json(state.trees?.[appName] ?? { nodes: [] });
      }
      const key = resourceKey(
        appName,
        q.get('kind') ?? '',
        q.get('namespace') ?? '',
        q.get('resourceName') ?? '',
      );
      if (request.method === 'GET' && rest === '/resource') {
        const object = state.resources?.[key];
        if (!object) {
          return json(
            {
              error: 'not found as part of application',
              code: 3,
              message: 'not found as part of application',
            },
            400,
          );
        }
        return json({ manifest: JSON.stringify(object) });
      }
      if (request.method === 'GET' && rest === '/resource/actions') {
        return json({ actions: state.actions?.[key] ?? [] });
      }
      if (request.method === 'POST' && rest === '/resource/actions/v2') {
        return json({});
      }
      const meta = /^\/revisions\/([^/]+)\/metadata$/.exec(rest);
      if (request.method === 'GET' && meta) {
        const m = state.metadata?.[decodeURIComponent(meta[1])];
        return m
          ? json(m)
          : json(
              {
                error: 'revision not found',
                code: 5,
                message: 'revision not found',
              },
              404,
            );
      }
      return json({ error: 'Not Found' }, 404);
    }),
  );
}
