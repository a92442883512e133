/**
 * Entity annotations read by the Delivery plugins.
 *
 * The `argocd/*` names are the ones the Roadie and community Argo CD plugins
 * already use, so entities annotated for those work unchanged.
 */

/** Name of one Argo CD Application. @public */
export const ANNOTATION_ARGOCD_APP_NAME = 'argocd/app-name';
/** Label selector that finds the entity's Argo CD Applications. @public */
export const ANNOTATION_ARGOCD_APP_SELECTOR = 'argocd/app-selector';
/** Comma-separated configured Argo CD instance names; absent = all. @public */
export const ANNOTATION_ARGOCD_INSTANCE_NAME = 'argocd/instance-name';
/** Namespace the Argo CD Applications live in (apps in any namespace). @public */
export const ANNOTATION_ARGOCD_APP_NAMESPACE = 'argocd/app-namespace';
/** Argo CD project the applications belong to. @public */
export const ANNOTATION_ARGOCD_PROJECT_NAME = 'argocd/project-name';
/** Service name used in Prometheus queries. @public */
export const ANNOTATION_PROMETHEUS_SERVICE_NAME = 'prometheus.io/service-name';
/** GitHub `owner/repo` of the entity's source. @public */
export const ANNOTATION_GITHUB_PROJECT_SLUG = 'github.com/project-slug';
/** Snyk organisation id. @public */
export const ANNOTATION_SNYK_ORG_ID = 'snyk.io/org-id';
/** Name of a configured promotion policy (never a policy body). @public */
export const ANNOTATION_DELIVERY_POLICY = 'delivery.backstage.io/policy';

/**
 * On an Argo CD Application (not an entity): the full refs of the catalog
 * entities it belongs to, comma-separated, e.g. `component:default/checkout`.
 * Set in the GitOps repository or Argo CD, where the entity's author cannot
 * write, it binds the Application to those entities for actions.
 * @public
 */
export const APPLICATION_ANNOTATION_ENTITY_REF =
  'delivery.backstage.io/entity-ref';
/**
 * On an Argo CD Application: Backstage's Kubernetes plugin label. Its value
 * is a bare name, so it binds the one entity that name designates as a
 * short ref: `component:default/<value>`.
 * @public
 */
export const APPLICATION_LABEL_KUBERNETES_ID = 'backstage.io/kubernetes-id';

/** Every annotation the Delivery plugins read. @public */
export const DELIVERY_ANNOTATIONS = [
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_ARGOCD_INSTANCE_NAME,
  ANNOTATION_ARGOCD_APP_NAMESPACE,
  ANNOTATION_ARGOCD_PROJECT_NAME,
  ANNOTATION_PROMETHEUS_SERVICE_NAME,
  ANNOTATION_GITHUB_PROJECT_SLUG,
  ANNOTATION_SNYK_ORG_ID,
  ANNOTATION_DELIVERY_POLICY,
] as const;
