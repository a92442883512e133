import type { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { entityRefParams, parseInput } from '../../router';
import { parseRangeSeconds } from '../prometheus/queryWindow';
import type { SignalsService } from './SignalsService';

// an environment name is a Kubernetes label value (it comes from a label)
const environment = z
  .string({ required_error: 'is required' })
  .min(1, 'is required')
  .max(63, 'must be at most 63 characters')
  .regex(
    /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
    'must be an environment name (letters, digits, -, _ and .)',
  );

const metricsQuery = z.object({
  environment,
  range: z.string().max(20, 'is too long').optional(),
});
const vulnerabilitiesQuery = z.object({ environment });

/** Routes of the signals: `/metrics` and `/vulnerabilities` of an entity. @public */
export async function createSignalsRouter(options: {
  httpAuth: HttpAuthService;
  signals: SignalsService;
}): Promise<express.Router> {
  const { httpAuth, signals } = options;
  const router = Router();

  router.get(
    '/v1/entities/:namespace/:kind/:name/metrics',
    async (req, res) => {
      const ref = parseInput(entityRefParams, req.params);
      const query = parseInput(metricsQuery, req.query);
      const rangeSeconds = parseRangeSeconds(query.range);
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      res.json(
        await signals.getMetrics(ref, credentials, {
          environment: query.environment,
          rangeSeconds,
        }),
      );
    },
  );

  router.get(
    '/v1/entities/:namespace/:kind/:name/vulnerabilities',
    async (req, res) => {
      const ref = parseInput(entityRefParams, req.params);
      const query = parseInput(vulnerabilitiesQuery, req.query);
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      res.json(
        await signals.getVulnerabilities(ref, credentials, {
          environment: query.environment,
        }),
      );
    },
  );

  return router;
}
