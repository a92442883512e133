import type { LoggerService } from '@backstage/backend-plugin-api';
import type { AuditRecord } from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  DeliveryOverviewObserver,
  DeliveryViewState,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { AuditStore } from '../audit/AuditStore';
import type { DeploymentStore, RecordedEvent } from './DeploymentStore';
import { eventsFromAudit, eventsFromOverview } from './observedEvents';

/** How one recording is made. */
export interface RecordOptions {
  /** Epoch ms from which the audited aborts are read (default: 90 days back). */
  since?: number;
  /** Record even an overview unchanged since its last recording. */
  force?: boolean;
}

/** Records what overviews show into the deployment history. */
export interface DeploymentRecorder {
  /** Records what an overview shows (Argo CD history, aborted Rollouts) and the entity's audited aborts. */
  record(state: DeliveryViewState, how?: RecordOptions): Promise<void>;
}

const DAY = 86_400_000;
/** An unchanged overview of an entity is recorded again only after this. */
const RECORD_AGAIN_AFTER_MS = 60_000;
/** Entities whose last recording is remembered (then it starts afresh). */
const MAX_REMEMBERED = 5_000;
/** Audit pages read per entity (newest first) when looking for aborts. */
const MAX_AUDIT_PAGES = 10;

/** Creates the DeploymentRecorder over the history and audit stores. */
export function createDeploymentRecorder(options: {
  store: Pick<DeploymentStore, 'record'>;
  audit: Pick<AuditStore, 'list'>;
  now?: () => number;
}): DeploymentRecorder {
  const { store, audit } = options;
  const now = options.now ?? (() => Date.now());

  async function auditEvents(
    entityRef: string,
    since: number,
  ): Promise<RecordedEvent[]> {
    const records: AuditRecord[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_AUDIT_PAGES; page++) {
      const result = await audit.list({
        entityRef,
        action: 'abort',
        outcome: 'succeeded',
        since: new Date(since).toISOString(),
        limit: 100,
        cursor,
      });
      records.push(...result.items);
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    return eventsFromAudit(records);
  }

  // What each entity's overview showed when it was last recorded: a page
  // polling every few seconds shows the same history, which needs no write
  const lastRecorded = new Map<string, { signature: string; at: number }>();

  return {
    async record(state, how = {}) {
      const at = now();
      const entityRef = state.entity.entityRef;
      const observed = eventsFromOverview(state.overview, at);
      const signature = JSON.stringify(
        observed.map(e => [e.key, e.committedAt]),
      );
      const last = lastRecorded.get(entityRef);
      if (
        !how.force &&
        last?.signature === signature &&
        at - last.at < RECORD_AGAIN_AFTER_MS
      ) {
        return;
      }
      const audited = await auditEvents(entityRef, how.since ?? at - 90 * DAY);
      await store.record([...observed, ...audited], at);
      if (lastRecorded.size >= MAX_REMEMBERED) lastRecorded.clear();
      lastRecorded.set(entityRef, { signature, at });
    },
  };
}

/**
 * The recorder as an "overview observed" hook (delivery-node's
 * DeliveryOverviewObserver): every overview someone opens records what it
 * shows. It never fails the overview: a failure is only logged.
 */
export function recordingObserver(
  recorder: DeploymentRecorder,
  logger: LoggerService,
): DeliveryOverviewObserver {
  return async state => {
    try {
      await recorder.record(state);
    } catch (error) {
      logger.warn(
        `Could not record the deployments of ${state.entity.entityRef}: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  };
}
