import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_NAMESPACE,
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_ARGOCD_INSTANCE_NAME,
  ANNOTATION_ARGOCD_PROJECT_NAME,
  ANNOTATION_DELIVERY_POLICY,
  ANNOTATION_GITHUB_PROJECT_SLUG,
  ANNOTATION_PROMETHEUS_SERVICE_NAME,
  ANNOTATION_SNYK_ORG_ID,
} from './annotations';
import type { ResolvedAnnotations } from './schema/openapi/generated';

// RFC 1123 label (Kubernetes object names, namespaces, Argo CD projects).
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// RFC 1123 subdomain (most Kubernetes object names, Application names).
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// Label selector: comma list of `key`, `!key`, `key=value`, `key!=value`,
// `key in (a,b)`, `key notin (a,b)`; keys and values per Kubernetes rules.
const LABEL_KEY =
  '([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const LABEL_VALUE = '([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?';
const SELECTOR_TERM = new RegExp(
  `^(!?${LABEL_KEY}|${LABEL_KEY}\\s*(=|==|!=)\\s*${LABEL_VALUE}|${LABEL_KEY}\\s+(in|notin)\\s+\\(\\s*${LABEL_VALUE}(\\s*,\\s*${LABEL_VALUE})*\\s*\\))$`,
);
const INSTANCE_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const GITHUB_SLUG = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;

/** True for a valid Kubernetes object name (RFC 1123 subdomain). @public */
export function isValidKubernetesName(value: string): boolean {
  return value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

/** True for a valid Kubernetes namespace or label-like name (RFC 1123 label). @public */
export function isValidKubernetesLabel(value: string): boolean {
  return value.length <= 63 && DNS_LABEL.test(value);
}

/** True for a Kubernetes label selector of equality and set terms. @public */
export function isValidLabelSelector(value: string): boolean {
  return splitSelector(value).every(term => SELECTOR_TERM.test(term));
}

// split on commas that are not inside `( ... )`
function splitSelector(value: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current.trim());
  return terms;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

/** Most names a list annotation (`argocd/instance-name`, `argocd/project-name`) is read for. @public */
export const MAX_ANNOTATION_LIST_NAMES = 20;
// invalid names quoted in the one warning about them
const QUOTED_INVALID_NAMES = 5;

/**
 * The valid names of a comma-separated annotation. Whatever the annotation
 * lists, the caller gets at most one warning about invalid names and one
 * about names beyond MAX_ANNOTATION_LIST_NAMES, which are not used.
 */
function names(
  value: string | undefined,
  key: string,
  valid: (v: string) => boolean,
  rule: { one: string; many: string },
  warnings: string[],
): string[] {
  const all = list(value);
  const taken = all.slice(0, MAX_ANNOTATION_LIST_NAMES);
  if (all.length > taken.length) {
    warnings.push(
      `Annotation ${key} lists ${all.length} names; only the first ${MAX_ANNOTATION_LIST_NAMES} are used.`,
    );
  }
  const invalid = taken.filter(name => !valid(name));
  if (invalid.length > 0) {
    const quoted = invalid
      .slice(0, QUOTED_INVALID_NAMES)
      .map(name => `"${name.slice(0, 64)}"`)
      .join(', ');
    const more =
      invalid.length > QUOTED_INVALID_NAMES
        ? ` and ${invalid.length - QUOTED_INVALID_NAMES} more`
        : '';
    warnings.push(
      invalid.length === 1
        ? `Annotation ${key} lists ${quoted}, which is not ${rule.one}; it is ignored.`
        : `Annotation ${key} lists ${invalid.length} names that are not ${rule.many}; they are ignored: ${quoted}${more}.`,
    );
  }
  return taken.filter(valid);
}

/** The result of reading an entity's delivery annotations. @public */
export interface ReadAnnotationsResult {
  annotations: ResolvedAnnotations;
  /** Invalid or conflicting annotations, explained; they are left out. */
  warnings: string[];
}

/**
 * Reads and validates the entity's delivery annotations. Invalid values are
 * dropped with a warning instead of failing, so one bad annotation never
 * hides the rest of the view.
 *
 * @public
 */
export function readDeliveryAnnotations(entity: Entity): ReadAnnotationsResult {
  const raw = entity.metadata.annotations ?? {};
  const warnings: string[] = [];
  const annotations: ResolvedAnnotations = { instances: [], projects: [] };

  const take = (
    key: string,
    valid: (v: string) => boolean,
    rule: string,
  ): string | undefined => {
    const value = raw[key]?.trim();
    if (!value) return undefined;
    if (!valid(value)) {
      warnings.push(`Annotation ${key} is ignored: "${value}" is not ${rule}.`);
      return undefined;
    }
    return value;
  };

  annotations.appName = take(
    ANNOTATION_ARGOCD_APP_NAME,
    isValidKubernetesName,
    'a valid Kubernetes object name',
  );
  annotations.appSelector = take(
    ANNOTATION_ARGOCD_APP_SELECTOR,
    isValidLabelSelector,
    'a valid label selector',
  );
  if (annotations.appName && annotations.appSelector) {
    warnings.push(
      `Both ${ANNOTATION_ARGOCD_APP_NAME} and ${ANNOTATION_ARGOCD_APP_SELECTOR} are set; using ${ANNOTATION_ARGOCD_APP_SELECTOR} and ignoring ${ANNOTATION_ARGOCD_APP_NAME}.`,
    );
    annotations.appName = undefined;
  }
  annotations.instances = names(
    raw[ANNOTATION_ARGOCD_INSTANCE_NAME],
    ANNOTATION_ARGOCD_INSTANCE_NAME,
    v => INSTANCE_NAME.test(v),
    { one: 'a valid instance name', many: 'valid instance names' },
    warnings,
  );
  annotations.appNamespace = take(
    ANNOTATION_ARGOCD_APP_NAMESPACE,
    isValidKubernetesLabel,
    'a valid Kubernetes namespace',
  );
  annotations.projects = names(
    raw[ANNOTATION_ARGOCD_PROJECT_NAME],
    ANNOTATION_ARGOCD_PROJECT_NAME,
    isValidKubernetesName,
    {
      one: 'a valid Argo CD project name',
      many: 'valid Argo CD project names',
    },
    warnings,
  );
  annotations.prometheusServiceName = take(
    ANNOTATION_PROMETHEUS_SERVICE_NAME,
    isValidKubernetesName,
    'a valid service name',
  );
  annotations.githubProjectSlug = take(
    ANNOTATION_GITHUB_PROJECT_SLUG,
    v => GITHUB_SLUG.test(v),
    'of the form owner/repository',
  );
  annotations.snykOrgId = take(
    ANNOTATION_SNYK_ORG_ID,
    v => /^[A-Za-z0-9-]{1,64}$/.test(v),
    'a valid Snyk organisation id',
  );
  annotations.policy = take(
    ANNOTATION_DELIVERY_POLICY,
    v => /^[A-Za-z0-9][-A-Za-z0-9_]{0,62}$/.test(v),
    'a policy name',
  );
  return { annotations, warnings };
}
