import type { ArgoCdApplication } from '@gitops-delivery/backstage-plugin-delivery-node';

/** How environments are found and ordered. @public */
export interface EnvironmentRules {
  /** Configured environment names in promotion order. */
  environments: ReadonlyArray<string>;
  /** Application label that names the environment. */
  label: string;
}

/** Environment of applications that neither the label nor a suffix names. */
export const UNASSIGNED_ENVIRONMENT = 'unassigned';

/**
 * The environment of an Argo CD Application: its environment label, else the
 * configured environment its name ends with (`checkout-staging` → staging,
 * longest match first), else `unassigned`.
 */
export function detectEnvironment(
  app: Pick<ArgoCdApplication, 'metadata'>,
  rules: EnvironmentRules,
): string {
  const label = app.metadata.labels?.[rules.label]?.trim();
  if (label) return label;
  const byLength = [...rules.environments].sort((a, b) => b.length - a.length);
  const suffix = byLength.find(env => app.metadata.name.endsWith(`-${env}`));
  return suffix ?? UNASSIGNED_ENVIRONMENT;
}

/**
 * Orders environment names: configured ones in configured order, then any
 * others alphabetically, `unassigned` last.
 */
export function orderEnvironments(
  names: Iterable<string>,
  configured: ReadonlyArray<string>,
): string[] {
  const rank = (name: string) => {
    const i = configured.indexOf(name);
    if (i >= 0) return i;
    return name === UNASSIGNED_ENVIRONMENT
      ? configured.length + 1
      : configured.length;
  };
  return [...new Set(names)].sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b),
  );
}
