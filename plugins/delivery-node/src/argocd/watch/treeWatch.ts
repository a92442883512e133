import type { LoggerService } from '@backstage/backend-plugin-api';
import { appPath, appQuery, type ArgoCdTransport } from '../transport';
import type { ArgoCdAppRef, ArgoCdApplicationTree } from '../types';
import { readJsonLines } from './ndjson';
import { backoffDelay, sleep, type ArgoCdWatchTiming } from './timing';

const isObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the tree watch of one Application needs. */
export interface TreeWatchOptions {
  instance: string;
  app: ArgoCdAppRef;
  transport: ArgoCdTransport;
  timing: ArgoCdWatchTiming;
  /** A fresh read of the tree (the stream sends only changes). */
  readTree(): Promise<ArgoCdApplicationTree>;
  /**
   * A fresh read of the tree already under way (the view that opened the
   * watch asked for it): the first connection's seed, instead of a second
   * read of the same tree.
   */
  firstRead?: Promise<ArgoCdApplicationTree>;
  /** The tree changed (a new generation). */
  onChange(): void;
  logger?: LoggerService;
}

/**
 * Keeps one Application's resource tree current with
 * `GET /api/v1/stream/applications/{name}/resource-tree`. Argo CD sends a
 * tree only when it changes, so once the stream is open the tree is read
 * once; from then on every message replaces it and starts a new
 * `generation` (reads of the Application's live resources are keyed by it,
 * so a tree event, not time, invalidates them). A failed stream reconnects
 * with back-off; after `failuresBeforePolling` failures in a row it waits
 * `streamRetryMs` (the tree is then read through the cache as before).
 */
export class TreeWatch {
  private treeNow?: ArgoCdApplicationTree;
  private synced = false;
  private lastProblem?: string;
  private generationNow = 0;
  private readonly stopper = new AbortController();
  private firstRead?: Promise<ArgoCdApplicationTree>;
  private readonly running: Promise<void>;

  constructor(private readonly options: TreeWatchOptions) {
    this.firstRead = options.firstRead;
    this.running = this.run();
  }

  /** The current tree while the stream is healthy, else undefined. */
  get tree(): ArgoCdApplicationTree | undefined {
    return this.synced ? this.treeNow : undefined;
  }

  /** Changes with every tree the stream sends. */
  get generation(): number {
    return this.generationNow;
  }

  /** Whether reads may rely on tree events for freshness. */
  get healthy(): boolean {
    return this.synced;
  }

  /**
   * Why the stream is not current (its last failure, redacted like every
   * transport error); undefined while it is, and before it first failed.
   */
  get problem(): string | undefined {
    return this.synced ? undefined : this.lastProblem;
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.running;
  }

  private async run() {
    const { timing, instance, app } = this.options;
    const signal = this.stopper.signal;
    let failures = 0;
    while (!signal.aborted) {
      const opened = Date.now();
      try {
        await this.streamOnce(signal);
        // a proxy that ends each stream at once ends it without an error
        if (!signal.aborted) this.lastProblem = 'the stream ended';
      } catch (error) {
        if (signal.aborted) break;
        this.lastProblem = String((error as Error)?.message ?? error);
        this.options.logger?.info(
          `Argo CD instance "${instance}": the resource-tree stream of ${
            app.name
          } failed: ${(error as Error)?.message ?? error}`,
        );
      }
      const wasSynced = this.synced;
      this.synced = false;
      if (signal.aborted) break;
      failures =
        wasSynced && Date.now() - opened >= timing.stableMs ? 0 : failures + 1;
      if (failures >= timing.failuresBeforePolling) {
        await sleep(timing.streamRetryMs, signal);
        failures = timing.failuresBeforePolling - 1;
      } else {
        await sleep(backoffDelay(timing, failures), signal);
      }
    }
  }

  private async streamOnce(signal: AbortSignal) {
    const { instance, app, transport } = this.options;
    // only the first connection may use the read that opened the watch
    const firstRead = this.firstRead;
    this.firstRead = undefined;
    const response = await transport.openStream(
      instance,
      {
        method: 'GET',
        path: `/api/v1/stream${appPath(app).slice(
          '/api/v1'.length,
        )}/resource-tree`,
        query: appQuery(app),
      },
      signal,
    );
    let streamed = false;
    // the first connection's seed is the read that opened the watch (sent
    // with the stream, not after it: a change in between shows with the
    // tree's next event); a reconnection reads the tree again
    const seed = (firstRead ?? this.options.readTree())
      .then(tree => {
        if (streamed || signal.aborted) return;
        this.treeNow = tree;
        this.generationNow++;
        this.synced = true;
      })
      .catch(() => {
        // the next message fills the tree in; until then reads use the cache
      });
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
        if (!isObject(message.result)) continue;
        streamed = true;
        this.treeNow = message.result as ArgoCdApplicationTree;
        this.generationNow++;
        this.synced = true;
        try {
          this.options.onChange();
        } catch {
          // a listener's failure is not the stream's
        }
      }
    } finally {
      await seed;
    }
  }
}
