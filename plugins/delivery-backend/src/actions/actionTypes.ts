import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { MetricsService as BackstageMetricsService } from '@backstage/backend-plugin-api/alpha';
import type {
  AuditRecord,
  GateResult,
  RolloutActionName,
  RolloutActionRequest,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { ArgoCdClient } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { Request } from 'express';
import type { AuditStore } from '../audit/AuditStore';
import type { RolloutLock } from '../audit/RolloutLock';
import type { PolicyService, RolloutLocator } from '../policy/PolicyService';
import type { EntityRefParams } from '../services/EntityResolver/EntityResolver';
import type { OwnerNotifier } from './OwnerNotifier';
import type { SharedRollout } from './sharedRolloutRecords';

/** The Argo CD resource action each rollout action runs. @public */
export const ARGO_ACTION: Record<RolloutActionName, string> = {
  promote: 'resume',
  'promote-full': 'promote-full',
  abort: 'abort',
  retry: 'retry',
};

/** Runs Argo CD resource actions (the pipeline's Argo CD client). @public */
export type ArgoActionsClient = Pick<ArgoCdClient, 'runResourceAction'>;

/** One action to execute. @public */
export interface ActionCommand {
  ref: EntityRefParams;
  credentials: BackstageCredentials;
  request: RolloutActionRequest;
  correlationId?: string;
  /** The HTTP request, for the auditor. */
  httpRequest?: Request;
  /**
   * Set by the canary guard: the SLO gates that justify an abort, and the
   * other entities sharing the Rollout (each gets a record of the abort).
   */
  guard?: { gates: GateResult[]; sharedWith?: SharedRollout[] };
}

/** Executes rollout actions: authorize, policy, lock, audit, Argo CD, outcome. @public */
export interface ActionService {
  execute(command: ActionCommand): Promise<AuditRecord>;
}

/** Options of createActionService. @public */
export interface ActionServiceOptions {
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  locator: RolloutLocator;
  policy: PolicyService;
  store: AuditStore;
  lock: RolloutLock;
  argocd: ArgoActionsClient;
  lockTtlMs: number;
  /** Backstage's metrics service: counts actions by decision and outcome. */
  metrics?: BackstageMetricsService;
  /** Tells the entity's owner of blocked promotions and guard aborts. */
  notifier?: OwnerNotifier;
}
