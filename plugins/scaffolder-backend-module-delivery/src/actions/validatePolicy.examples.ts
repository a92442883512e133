import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples shown in the scaffolder's action reference. */
export const examples: TemplateExample[] = [
  {
    description:
      'Check the generated Rollout against the policy the user chose; the step fails and names the offending canary step when it cannot pass',
    example: yaml.stringify({
      steps: [
        {
          id: 'policy',
          action: 'delivery:policy:validate',
          name: 'Check the canary against the promotion policy',
          input: {
            policy: '${{ parameters.policy }}',
            manifestPath: 'deploy/base/rollout.yaml',
          },
        },
      ],
    }),
  },
  {
    description: 'Report violations without failing the task',
    example: yaml.stringify({
      steps: [
        {
          id: 'policy',
          action: 'delivery:policy:validate',
          name: 'Report policy violations',
          input: {
            policy: 'default',
            manifestPath: 'deploy/base/rollout.yaml',
            failOnViolation: false,
          },
        },
      ],
    }),
  },
];
