import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  APPLICATION_ANNOTATION_ENTITY_REF,
  APPLICATION_LABEL_KUBERNETES_ID,
  type ApplicationBinding,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { ArgoCdApplication } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { BindingConfig } from './readBindingConfig';

/**
 * Application annotations whose full entity refs bind: ours, and the one the
 * service-with-canary template wrote before it (already on scaffolded
 * Applications, set through the same GitOps repository).
 */
const REF_ANNOTATIONS = [
  APPLICATION_ANNOTATION_ENTITY_REF,
  'backstage.io/entity-ref',
];

// entity refs compare case-insensitively, as in the catalog
const normalize = (ref: string) => ref.toLocaleLowerCase('en-US');

function parsedRef(
  value: string,
  defaults: { defaultKind?: string; defaultNamespace?: string },
): string | undefined {
  try {
    return normalize(stringifyEntityRef(parseEntityRef(value, defaults)));
  } catch {
    return undefined;
  }
}

/** The full ref of the entity's owner (`spec.owner`), if it has one. */
function ownerOf(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner.trim()) return undefined;
  return parsedRef(owner.trim(), {
    defaultKind: 'group',
    defaultNamespace: entity.metadata.namespace ?? 'default',
  });
}

/**
 * Whether an Argo CD Application belongs to the entity for actions. Only
 * what the entity's author cannot write counts: the Application's own
 * `delivery.backstage.io/entity-ref` annotation (full entity refs), its
 * `backstage.io/kubernetes-id` label (a bare name, read as the short ref
 * `component:default/<name>`), or a configured owner rule. The entity's
 * annotations, which found the Application, never bind it.
 */
export function bindingOf(input: {
  entity: Entity;
  instance: string;
  application: ArgoCdApplication;
  config: BindingConfig;
}): ApplicationBinding {
  const { entity, instance, application, config } = input;
  const enforced = config.required;
  const entityRef = normalize(stringifyEntityRef(entity));
  const { labels = {}, annotations = {} } = application.metadata;

  const named = REF_ANNOTATIONS.flatMap(key =>
    (annotations[key] ?? '')
      .split(',')
      .map(v => v.trim())
      .filter(Boolean),
  );
  if (
    named.some(v => parsedRef(v, { defaultNamespace: 'default' }) === entityRef)
  ) {
    return { bound: true, by: 'annotation', enforced };
  }
  const label = labels[APPLICATION_LABEL_KUBERNETES_ID]?.trim();
  if (label && parsedRef(`component:default/${label}`, {}) === entityRef) {
    return { bound: true, by: 'label', enforced };
  }
  const project = application.spec?.project ?? 'default';
  const owner = ownerOf(entity);
  const rule = config.ownerProjects.find(
    r =>
      r.owner === owner &&
      r.projects.includes(project) &&
      (!r.instances || r.instances.includes(instance)),
  );
  if (rule) return { bound: true, by: 'owner-rule', enforced };

  const found: string[] = [];
  if (named.length > 0) {
    found.push(
      `its entity-ref annotation names ${named
        .slice(0, 5)
        .map(n => `"${n}"`)
        .join(', ')}`,
    );
  }
  if (label) {
    found.push(
      `its ${APPLICATION_LABEL_KUBERNETES_ID} label is "${label}" (component:default/${label})`,
    );
  }
  return {
    bound: false,
    enforced,
    reason: `Argo CD Application "${
      application.metadata.name
    }" on "${instance}" does not name ${stringifyEntityRef(entity)}: ${
      found.length > 0
        ? found.join(' and ')
        : `it has neither the ${APPLICATION_ANNOTATION_ENTITY_REF} annotation nor the ${APPLICATION_LABEL_KUBERNETES_ID} label`
    }, and no delivery.actions.ownerProjects rule ties its project "${project}" to the entity's owner${
      owner ? ` (${owner})` : ''
    }`,
  };
}
