import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import type { DeliveryChoices } from '@gitops-delivery/backstage-plugin-delivery-common';
import { z } from 'zod/v3';
import type { EntityResolver } from './services/EntityResolver/EntityResolver';
import type { OverviewService } from './services/overview/OverviewService';

/** Route params `:namespace/:kind/:name`, as described in schema/openapi.yaml. */
export const entityRefParams = z.object({
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/i, 'must be a valid namespace'),
  kind: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'must be a valid kind'),
  name: z
    .string()
    .regex(/^[a-zA-Z0-9]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$/, 'must be a valid name')
    .max(63),
});

/** Parses route params, throwing InputError that names the bad field. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `Invalid ${issue.path.join('.') || 'input'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

/** Dependencies of the router. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  entityResolver: EntityResolver;
  overviewService: OverviewService;
  /** The configured policies and Argo CD instances, by name. */
  choices: DeliveryChoices;
}

/** Creates the `/api/delivery` router. Thin: validate, call a service, JSON. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, entityResolver, overviewService, choices } = options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  // What templates may pick (the scaffolder's DeliveryChoicePicker): names
  // of the configured policies and Argo CD instances, never URLs or secrets.
  router.get('/v1/choices', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(choices);
  });

  router.get(
    '/v1/entities/:namespace/:kind/:name/annotations',
    async (req, res) => {
      const ref = parseInput(entityRefParams, req.params);
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const { entityRef, annotations, warnings } = await entityResolver.resolve(
        ref,
        credentials,
      );
      res.json({ entityRef, annotations, warnings });
    },
  );

  router.get(
    '/v1/entities/:namespace/:kind/:name/overview',
    async (req, res) => {
      const ref = parseInput(entityRefParams, req.params);
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      res.json(await overviewService.getOverview(ref, credentials));
    },
  );

  return router;
}
