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
import type { ResolvedAnnotations } from './model';

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
  for (const instance of list(raw[ANNOTATION_ARGOCD_INSTANCE_NAME])) {
    if (INSTANCE_NAME.test(instance)) annotations.instances.push(instance);
    else
      warnings.push(
        `Annotation ${ANNOTATION_ARGOCD_INSTANCE_NAME} lists "${instance}", which is not a valid instance name; it is ignored.`,
      );
  }
  annotations.appNamespace = take(
    ANNOTATION_ARGOCD_APP_NAMESPACE,
    isValidKubernetesLabel,
    'a valid Kubernetes namespace',
  );
  for (const project of list(raw[ANNOTATION_ARGOCD_PROJECT_NAME])) {
    if (isValidKubernetesName(project)) annotations.projects.push(project);
    else
      warnings.push(
        `Annotation ${ANNOTATION_ARGOCD_PROJECT_NAME} lists "${project}", which is not a valid Argo CD project name; it is ignored.`,
      );
  }
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
