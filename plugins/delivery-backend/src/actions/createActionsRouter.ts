import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ROLLOUT_ACTIONS,
  type RolloutActionResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import express from 'express';
import Router from 'express-promise-router';
import { randomUUID } from 'node:crypto';
import { z } from 'zod/v3';
import type { AuditStore } from '../audit/AuditStore';
import type { PolicyService } from '../policy/PolicyService';
import { entityRefParams, parseInput } from '../router';
import type { EntityResolver } from '../services/EntityResolver/EntityResolver';
import type { ActionService } from './ActionService';
import { parseActionRequest } from './parseActionRequest';

const ENV_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const policyQuery = z.object({
  environment: z
    .string()
    .max(63)
    .regex(ENV_NAME, 'must be an environment name'),
});

const auditQuery = z
  .object({
    environment: z
      .string()
      .max(63)
      .regex(ENV_NAME, 'must be an environment name')
      .optional(),
    rollout: z
      .string()
      .max(253)
      .regex(/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/, 'must be a Rollout name')
      .optional(),
    action: z.enum(ROLLOUT_ACTIONS).optional(),
    decision: z.enum(['allowed', 'blocked', 'overridden', 'guard']).optional(),
    outcome: z
      .enum(['requested', 'succeeded', 'failed', 'rejected', 'outcome-unknown'])
      .optional(),
    since: z
      .string()
      .refine(v => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 time')
      .transform(v => new Date(v).toISOString())
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .max(100)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor from a previous page')
      .optional(),
  })
  .strict();

// like parseInput, for schemas whose output differs from their input (defaults)
function parseQuery<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown parameter(s) ${issue.keys.join(', ')}`
        : issue.message;
    throw new InputError(
      `Invalid ${issue.path.join('.') || 'query'}: ${message}`,
    );
  }
  return parsed.data;
}

const CORRELATION_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/** Routes of the policy dry run, rollout actions and the audit trail. @public */
export async function createActionsRouter(options: {
  httpAuth: HttpAuthService;
  entityResolver: EntityResolver;
  policyService: PolicyService;
  actionService: ActionService;
  auditStore: AuditStore;
}): Promise<express.Router> {
  const { httpAuth, entityResolver, policyService, actionService, auditStore } =
    options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/v1/entities/:namespace/:kind/:name/policy', async (req, res) => {
    const ref = parseInput(entityRefParams, req.params);
    const { environment } = parseInput(policyQuery, req.query);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await policyService.dryRun(ref, credentials, environment));
  });

  router.post(
    '/v1/entities/:namespace/:kind/:name/actions',
    async (req, res) => {
      const ref = parseInput(entityRefParams, req.params);
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const request = parseActionRequest(req.body);
      const header =
        req.header('x-correlation-id') ?? req.header('x-request-id');
      const correlationId =
        header && CORRELATION_ID.test(header) ? header : randomUUID();
      res.setHeader('x-correlation-id', correlationId);
      const record = await actionService.execute({
        ref,
        credentials,
        request,
        correlationId,
        httpRequest: req,
      });
      const body: RolloutActionResponse = { record };
      res.json(body);
    },
  );

  router.get('/v1/entities/:namespace/:kind/:name/audit', async (req, res) => {
    const ref = parseInput(entityRefParams, req.params);
    const query = parseQuery(auditQuery, req.query);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // reading the trail follows the catalog's read permission on the entity
    const { entityRef } = await entityResolver.resolve(ref, credentials);
    try {
      res.json(await auditStore.list({ ...query, entityRef }));
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
