import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples shown in the scaffolder's action reference. */
export const examples: TemplateExample[] = [
  {
    description:
      'Create (or update) the production Application of a new service in the existing project "default"',
    example: yaml.stringify({
      steps: [
        {
          id: 'argocd-production',
          action: 'delivery:argocd:create-application',
          name: 'Create the Argo CD Application',
          input: {
            instance: 'main',
            name: 'checkout-production',
            project: 'default',
            repoUrl: 'https://github.com/acme/checkout.git',
            path: 'deploy/overlays/production',
            destinationNamespace: 'checkout-production',
            labels: {
              app: 'checkout',
              environment: 'production',
              'backstage.io/entity-ref': 'component.default.checkout',
            },
            entityRef: 'component:default/checkout',
          },
        },
      ],
    }),
  },
  {
    description:
      'One Application per chosen environment, in a new AppProject created on first use',
    example: yaml.stringify({
      steps: [
        {
          id: 'argocd',
          action: 'delivery:argocd:create-application',
          name: 'Create the Argo CD Applications',
          each: '${{ parameters.environments }}',
          input: {
            instance: '${{ parameters.argocdInstance }}',
            name: '${{ parameters.name }}-${{ each.value }}',
            project: '${{ parameters.name }}',
            createProject: true,
            repoUrl: 'https://github.com/acme/${{ parameters.name }}.git',
            path: 'deploy/overlays/${{ each.value }}',
            destinationNamespace: '${{ parameters.name }}-${{ each.value }}',
            autoSync: false,
          },
        },
      ],
    }),
  },
];
