import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { RolloutActionResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import { randomUUID } from 'node:crypto';
import type { AuditStore } from '../audit/AuditStore';
import type { PolicyService } from '../policy/PolicyService';
import { createRoutes, type DeliveryApiRouter } from '../schema/apiRouter';
import type { EntityResolver } from '../services/EntityResolver/EntityResolver';
import type { ApplicationActionService } from '../applicationActions/ApplicationActionService';
import type { ActionService } from './ActionService';

const CORRELATION_ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const DEFAULT_AUDIT_PAGE = 50;

/** The caller's correlation id when valid, else a new one; set on the response. */
function correlationIdOf(
  req: { header(name: string): string | undefined },
  res: { setHeader(name: string, value: string): unknown },
): string {
  const header = req.header('x-correlation-id') ?? req.header('x-request-id');
  const correlationId =
    header && CORRELATION_ID.test(header) ? header : randomUUID();
  res.setHeader('x-correlation-id', correlationId);
  return correlationId;
}

/**
 * Routes of the policy dry run, rollout actions and the audit trail. Their
 * input is validated against schema/openapi.yaml before they run.
 * @public
 */
export async function createActionsRouter(options: {
  httpAuth: HttpAuthService;
  entityResolver: EntityResolver;
  policyService: PolicyService;
  actionService: ActionService;
  auditStore: AuditStore;
  /** Refresh, sync and rollback of the entity's Applications. */
  applicationActions?: ApplicationActionService;
}): Promise<DeliveryApiRouter> {
  const { httpAuth, entityResolver, policyService, actionService, auditStore } =
    options;
  const router = createRoutes();

  router.get('/v1/entities/:namespace/:kind/:name/policy', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await policyService.dryRun(
        req.params,
        credentials,
        req.query.environment,
      ),
    );
  });

  router.post(
    '/v1/entities/:namespace/:kind/:name/actions',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const correlationId = correlationIdOf(req, res);
      const record = await actionService.execute({
        ref: req.params,
        credentials,
        // the spec asks for a non-blank reason; the record keeps it trimmed
        request: { ...req.body, reason: req.body.reason.trim() },
        correlationId,
        httpRequest: req,
      });
      const body: RolloutActionResponse = { record };
      res.json(body);
    },
  );

  const { applicationActions } = options;
  if (applicationActions) {
    router.post(
      '/v1/entities/:namespace/:kind/:name/applications/actions',
      async (req, res) => {
        const credentials = await httpAuth.credentials(req, {
          allow: ['user', 'service'],
        });
        const correlationId = correlationIdOf(req, res);
        res.json(
          await applicationActions.execute({
            ref: req.params,
            credentials,
            request: { ...req.body, reason: req.body.reason.trim() },
            correlationId,
            httpRequest: req,
          }),
        );
      },
    );
  }

  router.get('/v1/entities/:namespace/:kind/:name/audit', async (req, res) => {
    const { since, limit, ...filters } = req.query;
    if (since !== undefined && Number.isNaN(Date.parse(since))) {
      throw new InputError('Invalid since: must be an ISO 8601 time');
    }
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // reading the trail follows the catalog's read permission on the entity
    const { entityRef } = await entityResolver.resolve(req.params, credentials);
    try {
      res.json(
        await auditStore.list({
          ...filters,
          since:
            since === undefined ? undefined : new Date(since).toISOString(),
          limit: limit ?? DEFAULT_AUDIT_PAGE,
          entityRef,
        }),
      );
    } catch (error) {
      if (error instanceof TypeError && error.message === 'cursor') {
        throw new InputError(
          'Invalid cursor: must be a cursor from a previous page',
        );
      }
      throw error;
    }
  });

  return router;
}
