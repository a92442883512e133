import { InputError } from '@backstage/errors';
import {
  ROLLOUT_ACTIONS,
  type RolloutActionRequest,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { z } from 'zod/v3';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const schema = z
  .object({
    environment: z.string().max(63).regex(NAME, 'must be an environment name'),
    rollout: z
      .string()
      .max(253)
      .regex(/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/, 'must be a Rollout name'),
    action: z.enum(ROLLOUT_ACTIONS),
    reason: z.string().trim().min(1, 'must say why').max(1000),
    idempotencyKey: z
      .string()
      .min(8, 'must be at least 8 characters')
      .max(200)
      .regex(
        /^[A-Za-z0-9_.:-]+$/,
        'may contain letters, digits and _ . : - only',
      ),
    override: z.boolean().optional(),
  })
  .strict();

/** Validates the body of POST .../actions; the error names the bad field. */
export function parseActionRequest(body: unknown): RolloutActionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError('Invalid body: must be a JSON object');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.');
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.join(', ')}`
        : issue.message;
    throw new InputError(`Invalid ${field || 'body'}: ${message}`);
  }
  return parsed.data;
}
