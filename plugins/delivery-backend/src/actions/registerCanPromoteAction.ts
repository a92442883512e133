import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { PolicyService } from '../policy/PolicyService';
import { checkEntityRefParts } from '../schema/apiRouter';

/**
 * Offers the "can I promote?" dry run through Backstage's actions registry,
 * so CI jobs, chat tools and MCP clients ask the same policy as the UI.
 */
export function registerCanPromoteAction(
  actionsRegistry: ActionsRegistryService,
  policyService: PolicyService,
): void {
  actionsRegistry.register({
    name: 'can-promote',
    title: 'Can I promote?',
    description:
      "Evaluates the promotion policy of an entity's rollouts in one environment and returns every gate with its outcome, reason and evidence. Read-only.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('Entity reference, e.g. component:default/checkout'),
          environment: z.string().describe('Environment name, e.g. production'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          environment: z.string(),
          allowed: z
            .boolean()
            .describe('True when every evaluated rollout may be promoted'),
          evaluations: z.array(
            z.object({
              policy: z.string(),
              environment: z.string(),
              instance: z.string().optional(),
              rollout: z.string().optional(),
              allowed: z.boolean(),
              promotionPending: z.boolean().optional(),
              evaluatedAt: z.string(),
              gates: z.array(
                z.object({
                  name: z.string(),
                  kind: z.string(),
                  outcome: z.enum([
                    'pass',
                    'fail',
                    'unknown',
                    'not-applicable',
                  ]),
                  blocking: z.boolean(),
                  reason: z.string(),
                  evidence: z.array(
                    z.object({
                      label: z.string(),
                      value: z
                        .union([z.string(), z.number(), z.null()])
                        .optional(),
                      threshold: z.union([z.string(), z.number()]).optional(),
                      unit: z.string().optional(),
                      comparison: z.enum(['below', 'above']).optional(),
                      url: z.string().optional(),
                    }),
                  ),
                }),
              ),
            }),
          ),
        }),
    },
    examples: [
      {
        title: 'Ask whether checkout may be promoted in production',
        input: {
          entityRef: 'component:default/checkout',
          environment: 'production',
        },
      },
    ],
    async action({ input, credentials }) {
      let ref;
      try {
        ref = parseEntityRef(input.entityRef, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        });
      } catch (error) {
        throw new InputError(`Invalid entityRef: ${(error as Error).message}`);
      }
      const params = checkEntityRefParts(ref);
      const response = await policyService.dryRun(
        params,
        credentials,
        input.environment,
      );
      return {
        output: {
          entityRef: response.entityRef,
          environment: response.environment,
          allowed:
            response.evaluations.length > 0 &&
            response.evaluations.every(e => e.allowed),
          evaluations: response.evaluations,
        },
      };
    },
  });
}
