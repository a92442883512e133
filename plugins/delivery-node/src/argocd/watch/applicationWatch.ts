import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ListApplicationsQuery } from '../ArgoCdClient';
import type { ArgoCdTransport, Query } from '../transport';
import type { ArgoCdApplication } from '../types';
import {
  matchesLabels,
  parseLabelSelector,
  selectorCovers,
  type LabelSelector,
} from './labelSelector';
import { readJsonLines } from './ndjson';
import { backoffDelay, sleep, type ArgoCdWatchTiming } from './timing';

/** Which Applications an instance's stream asks for. @public */
export interface ArgoCdWatchQuery {
  selector?: string;
  projects?: string[];
  appNamespace?: string;
}

/** How an instance's Applications are kept current right now. @public */
export type ArgoCdWatchMode =
  | 'stopped'
  | 'connecting'
  | 'streaming'
  | 'polling';

const isObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The key of an Application within its instance. */
export const appKeyOf = (name: string, appNamespace?: string) =>
  `${appNamespace ?? ''}/${name}`;

const versionOf = (app: ArgoCdApplication) =>
  (app.metadata as { resourceVersion?: string }).resourceVersion;

const keyOfApp = (a: ArgoCdApplication) =>
  appKeyOf(a.metadata.name, a.metadata.namespace);

/** What the watch of one instance needs. */
export interface ApplicationWatchOptions {
  instance: string;
  transport: ArgoCdTransport;
  query: ArgoCdWatchQuery;
  timing: ArgoCdWatchTiming;
  /**
   * Lists the stream's query through the client's coalesced (and cached)
   * reads, for a new stream's check: a read of the same list while the
   * stream is not current (the fleet's, an overview's) then shares one call
   * with it. A resumed stream's check always asks Argo CD.
   */
  list?(query: ArgoCdWatchQuery): Promise<unknown[]>;
  /** An Application was added, changed or deleted (not during the first fill). */
  onChange(application: ArgoCdApplication, deleted: boolean): void;
  /**
   * The stream's health changed: it failed (or for another reason than
   * before), the instance is polled, or a stream is current again.
   */
  onStatusChange?(): void;
  logger?: LoggerService;
}

/**
 * Keeps the Applications of one Argo CD instance current: one stream
 * (`GET /api/v1/stream/applications`), started by the first read and
 * stopped after `idleMs` without one. A new stream is checked by a list
 * of the same query: it is trusted (`serving`) once it has sent every
 * Application the list found, so a server or proxy that does not stream
 * is found out within `syncTimeoutMs`. A dropped stream reconnects with
 * back-off and resumes after the last resourceVersion (the list fills in
 * what a resumed stream does not resend); after `failuresBeforePolling`
 * failures in a row the instance is listed every `pollIntervalMs` instead,
 * and streaming is tried again every `streamRetryMs`.
 */
export class ApplicationWatch {
  private readonly apps = new Map<string, ArgoCdApplication>();
  private readonly selector: LabelSelector | undefined;
  private modeNow: ArgoCdWatchMode = 'stopped';
  private synced = false;
  private everSynced = false;
  private lastVersion?: string;
  private lastPollAt = 0;
  private lastUse = Date.now();
  private stopper = new AbortController();
  private running?: Promise<void>;
  private failures = 0;
  private lastProblem?: string;
  /** The health last told (statusChanged); a new watch is healthy. */
  private lastStatus = 'false|';

  constructor(private readonly options: ApplicationWatchOptions) {
    this.selector = options.query.selector
      ? parseLabelSelector(options.query.selector)
      : [];
  }

  /** How the instance's Applications are kept current. */
  get mode(): ArgoCdWatchMode {
    return this.modeNow;
  }

  /**
   * Why the stream is not current, from its last failure; undefined while
   * it streams (or has not failed since it last did). Redacted like every
   * transport error.
   */
  get problem(): string | undefined {
    return this.lastProblem;
  }

  /** Every watched Application, current or not. */
  all(): ArgoCdApplication[] {
    return [...this.apps.values()];
  }

  /** Tells the listener when the health a note is made of changed. */
  private statusChanged(): void {
    const status = `${this.modeNow === 'polling'}|${this.lastProblem ?? ''}`;
    if (status === this.lastStatus) return;
    this.lastStatus = status;
    try {
      this.options.onStatusChange?.();
    } catch {
      // a listener's failure is not the stream's
    }
  }

  /** Notes a read and starts the stream when it is not running. */
  touch(): void {
    this.lastUse = Date.now();
    if (this.running) return;
    this.stopper = new AbortController();
    this.running = this.run().finally(() => {
      this.running = undefined;
      this.modeNow = 'stopped';
      this.synced = false;
    });
  }

  /** Stops the stream (and polling) for good or until the next touch. */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.running;
  }

  /** Whether the state is current: a synced stream, or a recent poll. */
  serving(): boolean {
    if (this.modeNow === 'streaming') return this.synced;
    if (this.modeNow === 'polling') {
      return (
        Date.now() - this.lastPollAt <= 2 * this.options.timing.pollIntervalMs
      );
    }
    return false;
  }

  /**
   * The Applications a list with `query` would find, from the watched
   * state; undefined when the state is not current or the stream's query
   * does not cover this one (then the caller asks Argo CD).
   */
  list(query: ListApplicationsQuery): ArgoCdApplication[] | undefined {
    if (!this.serving() || !this.covers(query)) return undefined;
    const selector = query.selector ? parseLabelSelector(query.selector) : [];
    if (!selector) return undefined;
    return [...this.apps.values()]
      .filter(a => matchesLabels(selector, a.metadata.labels))
      .filter(a => !query.name || a.metadata.name === query.name)
      .filter(
        a =>
          !query.projects?.length ||
          query.projects.includes(a.spec?.project ?? ''),
      )
      .filter(
        a => !query.appNamespace || a.metadata.namespace === query.appNamespace,
      )
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  /** One watched Application; undefined when not current or not watched. */
  get(name: string, appNamespace?: string): ArgoCdApplication | undefined {
    if (!this.serving()) return undefined;
    if (appNamespace) return this.apps.get(appKeyOf(name, appNamespace));
    return [...this.apps.values()].find(a => a.metadata.name === name);
  }

  private covers(query: ListApplicationsQuery): boolean {
    const own = this.options.query;
    if (own.appNamespace && query.appNamespace !== own.appNamespace) {
      return false;
    }
    if (own.projects?.length) {
      if (!query.projects?.length) return false;
      if (!query.projects.every(p => own.projects!.includes(p))) return false;
    }
    if (this.selector && this.selector.length > 0) {
      const theirs = query.selector ? parseLabelSelector(query.selector) : [];
      if (!theirs || !selectorCovers(this.selector, theirs)) return false;
    }
    return true;
  }

  private idle(): boolean {
    return Date.now() - this.lastUse > this.options.timing.idleMs;
  }

  private async run(): Promise<void> {
    const { timing } = this.options;
    const signal = this.stopper.signal;
    while (!signal.aborted && !this.idle()) {
      const opened = Date.now();
      try {
        await this.streamOnce(signal);
        // a proxy that ends each stream at once ends it without an error
        if (!signal.aborted) this.lastProblem = 'the stream ended';
      } catch (error) {
        if (signal.aborted) break;
        this.lastProblem = String((error as Error)?.message ?? error);
        this.options.logger?.info(
          `Argo CD instance "${
            this.options.instance
          }": the application stream failed: ${
            (error as Error)?.message ?? error
          }`,
        );
      }
      const wasSynced = this.synced;
      this.synced = false;
      this.modeNow = 'connecting';
      this.statusChanged();
      if (signal.aborted) break;
      if (wasSynced && Date.now() - opened >= timing.stableMs) {
        this.failures = 0;
      } else {
        this.failures++;
      }
      if (this.failures >= timing.failuresBeforePolling) {
        this.options.logger?.warn(
          `Argo CD instance "${this.options.instance}" does not stream (${this.failures} failed streams in a row): polling it every ${timing.pollIntervalMs} ms, streaming again in ${timing.streamRetryMs} ms`,
        );
        await this.pollFor(timing.streamRetryMs, signal);
        this.failures = timing.failuresBeforePolling - 1;
        continue;
      }
      await sleep(backoffDelay(timing, this.failures), signal);
    }
  }

  private streamQuery(): Query {
    const q = this.options.query;
    return {
      selector: q.selector,
      projects: q.projects,
      appNamespace: q.appNamespace,
    };
  }

  /** A list of the watched query, now. */
  private async listNow(): Promise<ArgoCdApplication[]> {
    const list = await this.options.transport.send(this.options.instance, {
      method: 'GET',
      path: '/api/v1/applications',
      query: this.streamQuery(),
    });
    return applicationsOf(itemsOf(list));
  }

  private async streamOnce(stopSignal: AbortSignal): Promise<void> {
    const { instance, transport, timing } = this.options;
    const abort = new AbortController();
    const signal = AbortSignal.any([stopSignal, abort.signal]);
    // resume only where a synced stream left off
    const resume = this.everSynced ? this.lastVersion : undefined;
    this.modeNow = 'connecting';
    const response = await transport.openStream(
      instance,
      {
        method: 'GET',
        path: '/api/v1/stream/applications',
        query: { ...this.streamQuery(), resourceVersion: resume },
      },
      signal,
    );
    this.modeNow = 'streaming';
    const touched = new Set<string>();
    let expected: Set<string> | undefined;
    let failure: Error | undefined;
    const fail = (error: Error) => {
      failure ??= error;
      abort.abort();
    };
    let verifyTimer: ReturnType<typeof setTimeout> | undefined;
    const syncTimer = setTimeout(
      () =>
        fail(
          new Error(
            `the stream sent no Applications within ${timing.syncTimeoutMs} ms (a proxy that buffers, or a server that does not stream)`,
          ),
        ),
      timing.syncTimeoutMs,
    );
    syncTimer.unref?.();
    // Like an informer's resync: now and then a list of the same query, and
    // what it shows newer than the stream told must arrive on the stream
    // within syncTimeoutMs, else the stream has stopped flowing (a resumed
    // stream need not resend anything, so this is also its only proof).
    const scheduleVerify = () => {
      clearTimeout(verifyTimer);
      verifyTimer = setTimeout(async () => {
        if (signal.aborted) return;
        try {
          // the listed Applications whose version the stream has not told
          const behind = (apps: ArgoCdApplication[]) =>
            apps.filter(app => {
              const version = versionOf(app);
              const held = this.apps.get(keyOfApp(app));
              return (
                !!version && (!held || newer(version, versionOf(held) ?? ''))
              );
            });
          const lagging = behind(await this.listNow());
          if (lagging.length > 0) await sleep(timing.syncTimeoutMs, signal);
          if (signal.aborted) return;
          const missed = behind(lagging);
          if (missed.length > 0) {
            fail(
              new Error(
                `the stream did not send ${missed.length} change(s) a list showed within ${timing.syncTimeoutMs} ms (a proxy that buffers, or a stalled connection)`,
              ),
            );
            return;
          }
        } catch {
          // a failed list says nothing of the stream; the next one may
        }
        scheduleVerify();
      }, timing.verifyMs);
      verifyTimer.unref?.();
    };
    const markSynced = () => {
      // the list may answer after the stream ended: that stream is not current
      if (signal.aborted) return;
      clearTimeout(syncTimer);
      this.synced = true;
      this.everSynced = true;
      this.lastProblem = undefined;
      this.statusChanged();
      scheduleVerify();
    };
    // the list proves the stream flows, and fills in what a resume skips
    const check =
      resume || !this.options.list
        ? this.listNow()
        : this.options.list(this.options.query).then(applicationsOf);
    check
      .then(apps => {
        const listed = new Set<string>();
        for (const app of apps) {
          listed.add(keyOfApp(app));
          if (!touched.has(keyOfApp(app))) this.apply(app, false);
        }
        for (const [key, app] of this.apps) {
          if (!listed.has(key) && !touched.has(key)) this.apply(app, true);
        }
        if (resume) {
          markSynced();
          return;
        }
        expected = new Set([...listed].filter(k => !touched.has(k)));
        if (expected.size === 0) markSynced();
      })
      .catch(error => fail(error as Error));
    try {
      for await (const message of readJsonLines(response.body!)) {
        if (!isObject(message)) continue;
        if (isObject(message.error)) {
          // an upstream's own words may echo a credential: redacted
          throw transport.fail(
            instance,
            'upstream-error',
            `Argo CD ended the stream: ${String(
              message.error.message ?? 'error',
            )}`,
          );
        }
        const event = message.result;
        if (!isObject(event) || !isObject(event.application)) continue;
        const app = event.application as ArgoCdApplication;
        if (!isObject(app.metadata) || typeof app.metadata.name !== 'string') {
          continue;
        }
        const key = keyOfApp(app);
        touched.add(key);
        this.apply(app, event.type === 'DELETED');
        if (expected?.delete(key) && expected.size === 0) markSynced();
      }
    } catch (error) {
      if (!failure && !stopSignal.aborted) throw error;
    } finally {
      clearTimeout(syncTimer);
      clearTimeout(verifyTimer);
      abort.abort();
    }
    if (failure) throw failure;
  }

  private apply(app: ArgoCdApplication, deleted: boolean) {
    const key = keyOfApp(app);
    const before = this.apps.get(key);
    const version = versionOf(app);
    if (version && (!this.lastVersion || newer(version, this.lastVersion))) {
      this.lastVersion = version;
    }
    if (deleted) {
      if (!before) return;
      this.apps.delete(key);
    } else {
      if (
        before &&
        version &&
        versionOf(before) === version &&
        JSON.stringify(before.status) === JSON.stringify(app.status)
      ) {
        return;
      }
      this.apps.set(key, Object.freeze(app));
    }
    if (this.everSynced) {
      try {
        this.options.onChange(app, deleted);
      } catch {
        // a listener's failure is not the stream's
      }
    }
  }

  private async pollFor(ms: number, signal: AbortSignal): Promise<void> {
    const { instance, timing } = this.options;
    this.modeNow = 'polling';
    this.statusChanged();
    const until = Date.now() + ms;
    while (!signal.aborted && Date.now() < until && !this.idle()) {
      try {
        const listed = new Set<string>();
        for (const app of await this.listNow()) {
          listed.add(keyOfApp(app));
          this.apply(app, false);
        }
        for (const [key, app] of this.apps) {
          if (!listed.has(key)) this.apply(app, true);
        }
        this.lastPollAt = Date.now();
        this.everSynced = true;
      } catch (error) {
        this.options.logger?.info(
          `Argo CD instance "${instance}": polling the applications failed: ${
            (error as Error)?.message ?? error
          }`,
        );
      }
      await sleep(timing.pollIntervalMs, signal);
    }
  }
}

/** The items of a list answer (`null` when there are none). */
function itemsOf(list: unknown): unknown[] {
  const items = isObject(list) ? list.items : undefined;
  return Array.isArray(items) ? items : [];
}

/** The items of a list that are Applications (objects with metadata). */
function applicationsOf(items: unknown[]): ArgoCdApplication[] {
  return items.filter(
    (item): item is ArgoCdApplication =>
      isObject(item) && isObject(item.metadata),
  );
}

/** Whether resourceVersion `a` is after `b` (numeric when both are). */
function newer(a: string, b: string): boolean {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    return a.length !== b.length ? a.length > b.length : a > b;
  }
  return a !== b;
}
