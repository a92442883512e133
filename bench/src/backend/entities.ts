import type { Entity } from '@backstage/catalog-model';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { generatedServiceName } from '../sandbox/generatedServices';

/** The repository root (bench/ is one of its workspaces). */
// eslint-disable-next-line no-restricted-syntax -- bench runs from source, never bundled
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** The demo catalog (examples/entities.yaml) as entities. */
export function demoEntities(): Entity[] {
  const text = readFileSync(
    resolve(REPO_ROOT, 'examples', 'entities.yaml'),
    'utf8',
  );
  return parseAllDocuments(text)
    .map(doc => doc.toJSON() as Entity | null)
    .filter((e): e is Entity => !!e && typeof e.kind === 'string');
}

/**
 * The n-th generated component: annotated like the demo's checkout, pointing
 * at the n-th generated sandbox service.
 */
export function generatedEntity(index: number): Entity {
  const name = generatedServiceName(index);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'argocd/app-selector': `app=${name}`,
        'argocd/instance-name': 'main',
        'prometheus.io/service-name': name,
        'github.com/project-slug': `acme/${name}`,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'team-storefront',
      system: 'storefront',
    },
  };
}

/** The demo entities plus `count` generated ones. */
export function benchEntities(count: number): Entity[] {
  return [
    ...demoEntities(),
    ...Array.from({ length: count }, (_, i) => generatedEntity(i)),
  ];
}
