import type { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { isValidKubernetesName } from '@gitops-delivery/backstage-plugin-delivery-common';

/** Argo CD projects whose Applications belong to the entities of one owner. @public */
export interface OwnerProjectsRule {
  /** Full ref of the owning group or user, e.g. `group:default/team-a`. */
  owner: string;
  projects: string[];
  /** Argo CD instances the rule applies on; absent = all. */
  instances?: string[];
}

/** `delivery.actions.requireBinding` and `delivery.actions.ownerProjects`. @public */
export interface BindingConfig {
  /** Whether actions need an Application bound to the entity (default true). */
  required: boolean;
  ownerProjects: OwnerProjectsRule[];
}

/** Reads the binding configuration; owners are stored as full, lower-case refs. */
export function readBindingConfig(config: Config): BindingConfig {
  const actions = config.getOptionalConfig('delivery.actions');
  const ownerProjects = (
    actions?.getOptionalConfigArray('ownerProjects') ?? []
  ).map((rule, index) => {
    const where = `delivery.actions.ownerProjects[${index}]`;
    const owner = rule.getString('owner');
    let ref: string;
    try {
      ref = stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        }),
      ).toLocaleLowerCase('en-US');
    } catch (error) {
      throw new Error(`${where}.owner: ${(error as Error).message}`);
    }
    const projects = rule.getStringArray('projects');
    for (const project of projects) {
      if (!isValidKubernetesName(project)) {
        throw new Error(
          `${where}.projects: "${project}" is not a valid Argo CD project name`,
        );
      }
    }
    return {
      owner: ref,
      projects,
      instances: rule.getOptionalStringArray('instances'),
    };
  });
  return {
    required: actions?.getOptionalBoolean('requireBinding') ?? true,
    ownerProjects,
  };
}
