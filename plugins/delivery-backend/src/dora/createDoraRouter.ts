import type { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { entityRefParams, parseInput } from '../router';
import type { DoraService } from './DoraService';

const WINDOWS = { '7d': 7, '30d': 30, '90d': 90 } as const;

/** Query of GET /entities/:ref/dora, as described in schema/openapi.yaml. */
export const doraQuery = z
  .object({
    window: z
      .enum(['7d', '30d', '90d'], {
        errorMap: () => ({ message: 'must be one of 7d, 30d, 90d' }),
      })
      .default('30d'),
    environment: z
      .string()
      .regex(
        /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
        'must be an environment name (letters, digits, dashes, dots and underscores)',
      )
      .max(63)
      .optional(),
  })
  .passthrough();

/** The DORA route: validate, one service call, JSON. */
export function createDoraRouter(options: {
  httpAuth: HttpAuthService;
  doraService: DoraService;
}): express.Router {
  const router = Router();
  router.get('/v1/entities/:namespace/:kind/:name/dora', async (req, res) => {
    const ref = parseInput(entityRefParams, req.params);
    const query = parseInput(doraQuery, req.query);
    // reading follows the catalog's read permission: the service loads the
    // entity (and a system's components) with the caller's credentials
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await options.doraService.getDora(ref, credentials, {
        windowDays: WINDOWS[query.window ?? '30d'],
        environment: query.environment,
      }),
    );
  });
  return router;
}
