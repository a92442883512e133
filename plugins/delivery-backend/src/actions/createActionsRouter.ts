import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { RolloutActionResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import { randomUUID } from 'node:crypto';
import type { AuditStore } from '../audit/AuditStore';
import type { PolicyService } from '../policy/PolicyService';
import { createRoutes, type DeliveryApiRouter } from '../schema/apiRouter';
import type { EntityResolver } from '../services/EntityResolver/EntityResolver';
import type { ActionService } from './ActionService';

const CORRELATION_ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const DEFAULT_AUDIT_PAGE = 50;

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
      const header =
        req.header('x-correlation-id') ?? req.header('x-request-id');
      const correlationId =
        header && CORRELATION_ID.test(header) ? header : randomUUID();
      res.setHeader('x-correlation-id', correlationId);
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
