import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { promises as fs } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { readPolicyConfig } from '@gitops-delivery/backstage-plugin-delivery-node';
import { checkRolloutAgainstPolicy } from '../policy/checkRollout';
import { rolloutRequirementsOf } from '../policy/rolloutRequirements';
import { examples } from './validatePolicy.examples';

/**
 * `delivery:policy:validate`: checks the Rollout(s) of a generated manifest
 * file against a configured promotion policy (`delivery.policies.<name>`),
 * so a template never creates a canary that its policy can never promote.
 *
 * @public
 */
export function createValidatePolicyAction(options: { config: Config }) {
  // The same policies, built-in default and delivery.defaultPolicy as the
  // Delivery backend; a bad policy config stops start-up naming the key.
  const policies = readPolicyConfig(options.config);
  return createTemplateAction({
    id: 'delivery:policy:validate',
    description:
      'Checks a generated Argo Rollouts manifest against a configured promotion policy: a long enough pause (soak) after every canary weight, and an analysis step before 100% when the policy gates on analysis. Errors name the step.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        policy: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe(
              'Name of a configured policy (delivery.policies); default: delivery.defaultPolicy, else the built-in default',
            ),
        manifestPath: z =>
          z
            .string()
            .min(1)
            .describe(
              'Workspace-relative path of the YAML file holding the Rollout',
            ),
        failOnViolation: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Fail the step when the Rollout violates the policy (default: true)',
            ),
      },
      output: {
        policy: z => z.string().describe('The policy checked against'),
        valid: z =>
          z.boolean().describe('True when no step violates the policy'),
        violations: z =>
          z
            .array(
              z.object({
                rollout: z.string(),
                stepIndex: z.number(),
                message: z.string(),
              }),
            )
            .describe('What is wrong, per Rollout and canary step'),
      },
    },
    async handler(ctx) {
      const policyName = ctx.input.policy ?? policies.defaultPolicy;
      const definition = policies.policies.get(policyName);
      if (!definition) {
        throw new InputError(
          `policy: "${policyName}" is not a configured policy (configured: ${[
            ...policies.policies.keys(),
          ].join(', ')})`,
        );
      }
      const policy = rolloutRequirementsOf(definition);
      const file = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.manifestPath,
      );
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch {
        throw new InputError(
          `manifestPath: cannot read "${ctx.input.manifestPath}" in the workspace`,
        );
      }
      const documents = parseAllDocuments(text);
      const rollouts: unknown[] = [];
      for (const [index, document] of documents.entries()) {
        if (document.errors.length > 0) {
          throw new InputError(
            `manifestPath: document ${index} of "${ctx.input.manifestPath}" is not valid YAML: ${document.errors[0].message}`,
          );
        }
        const value = document.toJS();
        if (value?.kind === 'Rollout') rollouts.push(value);
      }
      if (rollouts.length === 0) {
        throw new InputError(
          `manifestPath: "${ctx.input.manifestPath}" holds no Rollout`,
        );
      }

      const violations = rollouts.flatMap(rollout => {
        const name = String(
          (rollout as { metadata?: { name?: unknown } }).metadata?.name ?? '?',
        );
        return checkRolloutAgainstPolicy(rollout, policy).map(v => ({
          rollout: name,
          ...v,
        }));
      });
      for (const v of violations) {
        ctx.logger.warn(`Rollout "${v.rollout}": ${v.message}`);
      }
      ctx.output('policy', policyName);
      ctx.output('valid', violations.length === 0);
      ctx.output('violations', violations);
      if (violations.length > 0 && (ctx.input.failOnViolation ?? true)) {
        throw new InputError(
          `The Rollout in ${
            ctx.input.manifestPath
          } cannot pass policy "${policyName}": ${violations
            .map(v => `Rollout "${v.rollout}" ${v.message}`)
            .join('; ')}`,
        );
      }
      ctx.logger.info(
        `Every Rollout in ${ctx.input.manifestPath} fits policy "${policyName}"`,
      );
    },
  });
}
