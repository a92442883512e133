import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppState, WorldState } from '../world/state';
import { applicationJson } from './application';

/** The JSON of an Application (applicationJson) and of a tree. */
type Json = Record<string, unknown>;

/** What a stream of Applications asked for (the swagger's query params). */
export interface ApplicationStreamFilter {
  matches(app: AppState): boolean;
}

/** How a stream is broken on purpose (`POST /sandbox/argocd-streams`). */
export type StreamFault = 'none' | 'drop' | 'error' | 'silent';
/** Which streams a fault breaks: all, or only the resource-tree streams. */
export type StreamFaultScope = 'all' | 'trees';

interface AppsSubscriber {
  instance: string;
  filter: ApplicationStreamFilter;
  res: ServerResponse;
}

interface TreeSubscriber {
  app: AppState;
  res: ServerResponse;
}

interface Seen {
  fingerprint: string;
  stateKey: string;
  /** The stream's resourceVersion of the Application's last change. */
  version: number;
  app: AppState;
}

// Wire timestamps move with the simulated clock at every scale other than
// 1, and resourceVersion/reconciledAt move with time itself: a change is a
// change of anything else.
const TIMESTAMP = /"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"/g;
function fingerprintOf(json: Json, dropTopResourceVersion: boolean): string {
  const copy: Json = { ...json };
  if (dropTopResourceVersion && copy.metadata) {
    const { resourceVersion: _rv, ...metadata } = copy.metadata as Json;
    copy.metadata = metadata;
  }
  return JSON.stringify(copy).replace(TIMESTAMP, '""');
}

const appKey = (a: AppState) => `${a.instance}/${a.namespace}/${a.name}`;

/**
 * What an Application's JSON is computed from, cheaply: its JSON is only
 * rebuilt (and compared) when this changes, or on the periodic full pass.
 */
function stateKey(a: AppState): string {
  const r = a.rollout;
  return JSON.stringify([
    a.operation,
    a.liveVersion,
    a.targetVersion,
    a.liveReplicas,
    a.behaviour,
    a.history.length,
    a.autoSync,
    a.labels,
    r && [
      r.updatedAt,
      r.currentStepIndex,
      r.canaryWeight,
      r.abort,
      r.promoteFull,
      r.specPaused,
      r.controllerPause,
      r.pauseConditions.length,
      r.replicas,
      r.stableHash,
      r.canaryHash,
      r.analysisRuns.map(run => [
        run.name,
        run.phase,
        run.completedAt,
        run.metrics.map(m => m.measurements.length),
      ]),
    ],
  ]);
}

// Every this many ticks every Application's JSON is compared in full, for
// what only the passing of time changes.
const FULL_PASS_TICKS = 20;

/**
 * Argo CD's two watch endpoints over the simulated world: newline-delimited
 * JSON, one `{"result": …}` per message (the swagger's stream result
 * envelope). While a stream is open the world is advanced every `tickMs`
 * and every change of an Application (as `GET /applications/{name}` would
 * answer it, timestamps aside) or of a watched resource tree is sent to
 * the streams whose filter it passes. Like Argo CD, a stream of
 * Applications starts with an ADDED event per matching Application unless
 * the caller names a resourceVersion; with one it sends what changed since
 * (the sandbox keeps the version of each Application's last change), and a
 * tree stream sends only changes.
 */
export class ArgoCdStreams {
  private readonly apps = new Set<AppsSubscriber>();
  private readonly trees = new Set<TreeSubscriber>();
  private readonly seen = new Map<string, Seen>();
  private readonly treeSeen = new Map<string, string>();
  private readonly treeState = new Map<string, string>();
  private version = 0;
  private ticks = 0;
  private timer?: NodeJS.Timeout;
  private fault: StreamFault = 'none';
  private faultScope: StreamFaultScope = 'all';

  constructor(
    private readonly world: WorldState,
    private readonly tree: (app: AppState) => Json,
    private readonly tickMs = 500,
  ) {}

  /**
   * Breaks the streams (all, or only the resource-tree streams): `drop`
   * ends open ones and every new one at once, `error` answers 500,
   * `silent` never sends.
   */
  setFault(fault: StreamFault, scope: StreamFaultScope = 'all'): void {
    this.fault = fault;
    this.faultScope = scope;
    if (fault === 'drop' || fault === 'error') {
      const open = scope === 'all' ? [...this.apps, ...this.trees] : this.trees;
      for (const s of open) s.res.destroy();
    }
  }

  /** The current fault. */
  get currentFault(): StreamFault {
    return this.fault;
  }

  /** The streams the current fault breaks. */
  get currentFaultScope(): StreamFaultScope {
    return this.faultScope;
  }

  private faultOf(kind: 'apps' | 'trees'): StreamFault {
    return this.faultScope === 'all' || kind === 'trees' ? this.fault : 'none';
  }

  /** `GET /api/v1/stream/applications`. */
  watchApplications(
    instance: string,
    filter: ApplicationStreamFilter,
    resourceVersion: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    if (this.refuse(res, 'apps')) return;
    this.catchUp();
    const subscriber: AppsSubscriber = { instance, filter, res };
    this.open(req, res, () => this.apps.delete(subscriber));
    if (this.faultOf('apps') === 'silent') return;
    const since = /^\d+$/.test(resourceVersion)
      ? Number(resourceVersion)
      : undefined;
    const initial = [...this.seen.values()]
      .filter(s => s.app.instance === instance && filter.matches(s.app))
      .filter(s => resourceVersion === '' || (since ?? Infinity) < s.version)
      .sort((a, b) => a.version - b.version);
    for (const s of initial) {
      this.send(
        res,
        {
          type: resourceVersion === '' ? 'ADDED' : 'MODIFIED',
          application: this.withVersion(applicationJson(this.world, s.app), s),
        },
        'apps',
      );
    }
    this.apps.add(subscriber);
  }

  /** `GET /api/v1/stream/applications/{name}/resource-tree`. */
  watchResourceTree(
    app: AppState,
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    if (this.refuse(res, 'trees')) return;
    this.catchUp();
    const subscriber: TreeSubscriber = { app, res };
    this.open(req, res, () => this.trees.delete(subscriber));
    if (this.faultOf('trees') === 'silent') return;
    if (!this.treeSeen.has(appKey(app))) {
      this.treeSeen.set(appKey(app), fingerprintOf(this.tree(app), false));
    }
    this.trees.add(subscriber);
  }

  /** Advances the world and sends every change to the open streams. */
  tick(): void {
    this.world.tick();
    this.catchUp();
  }

  /** Stops the ticker and ends every open stream. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const s of [...this.apps, ...this.trees]) s.res.end();
  }

  private refuse(res: ServerResponse, kind: 'apps' | 'trees'): boolean {
    const fault = this.faultOf(kind);
    if (fault === 'error') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: 'stream unavailable',
          code: 14,
          message: 'stream unavailable',
        }),
      );
      return true;
    }
    if (fault === 'drop') {
      res.destroy();
      return true;
    }
    return false;
  }

  private open(req: IncomingMessage, res: ServerResponse, done: () => void) {
    // grpc-gateway streams: 200, JSON, chunked, one message per line
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'no-cache',
    });
    res.flushHeaders();
    const end = () => {
      done();
      if (this.apps.size + this.trees.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
    req.on('close', end);
    res.on('close', end);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.tickMs);
      this.timer.unref();
    }
  }

  private send(res: ServerResponse, result: unknown, kind: 'apps' | 'trees') {
    if (this.faultOf(kind) === 'silent') return;
    res.write(`${JSON.stringify({ result })}\n`);
  }

  private withVersion(json: Json, s: Seen): Json {
    return {
      ...json,
      metadata: {
        ...(json.metadata as Json),
        resourceVersion: String(s.version),
      },
    };
  }

  /** Compares the world with what was sent and sends the differences. */
  private catchUp() {
    const present = new Set<string>();
    const full = this.ticks++ % FULL_PASS_TICKS === 0;
    for (const app of this.world.apps) {
      const key = appKey(app);
      present.add(key);
      const before = this.seen.get(key);
      const state = stateKey(app);
      if (before && !full && before.stateKey === state) continue;
      const json = applicationJson(this.world, app);
      const fingerprint = fingerprintOf(json, true);
      if (before?.fingerprint === fingerprint) {
        before.stateKey = state;
        continue;
      }
      const s: Seen = {
        fingerprint,
        stateKey: state,
        version: ++this.version,
        app,
      };
      this.seen.set(key, s);
      this.publishApp(
        before ? 'MODIFIED' : 'ADDED',
        app,
        this.withVersion(json, s),
      );
    }
    for (const [key, s] of this.seen) {
      if (present.has(key)) continue;
      this.seen.delete(key);
      const json = applicationJson(this.world, s.app);
      this.publishApp('DELETED', s.app, this.withVersion(json, s));
    }
    // a scenario switch replaces a service's Applications: the current
    // object of each watched key is looked up
    const current = new Map(this.world.apps.map(a => [appKey(a), a]));
    const watched = new Map<string, AppState>();
    for (const t of this.trees) {
      const app = current.get(appKey(t.app));
      if (app) watched.set(appKey(app), app);
    }
    for (const [key, app] of watched) {
      // a tree follows its Application's state (Rollout, pods, analyses)
      const state = stateKey(app);
      if (!full && this.treeState.get(key) === state) continue;
      this.treeState.set(key, state);
      const tree = this.tree(app);
      const fingerprint = fingerprintOf(tree, false);
      if (this.treeSeen.get(key) === fingerprint) continue;
      this.treeSeen.set(key, fingerprint);
      for (const t of this.trees) {
        if (appKey(t.app) === key) this.send(t.res, tree, 'trees');
      }
    }
  }

  private publishApp(type: string, app: AppState, json: Json) {
    for (const s of this.apps) {
      if (s.instance === app.instance && s.filter.matches(app)) {
        this.send(s.res, { type, application: json }, 'apps');
      }
    }
  }
}

const streams = new WeakMap<WorldState, ArgoCdStreams>();

/** The streams of a world (one set per sandbox). */
export function streamsOf(
  world: WorldState,
  tree: (app: AppState) => Json,
): ArgoCdStreams {
  let s = streams.get(world);
  if (!s) {
    const tickMs = Number(process.env.SANDBOX_STREAM_TICK_MS) || 500;
    s = new ArgoCdStreams(world, tree, tickMs);
    streams.set(world, s);
  }
  return s;
}
