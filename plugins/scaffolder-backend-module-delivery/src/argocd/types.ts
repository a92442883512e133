/*
 * The parts of Argo CD's v1alpha1 Application and AppProject that the
 * actions write (see the Argo CD swagger, v1alpha1Application/AppProject).
 */

/** Object metadata of an Argo CD resource. @public */
export interface ArgoCdMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  [key: string]: unknown;
}

/** Where an Application deploys to. @public */
export interface ArgoCdDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

/** An Argo CD Application (`argoproj.io/v1alpha1`). @public */
export interface ArgoCdApplication {
  apiVersion?: string;
  kind?: string;
  metadata: ArgoCdMetadata;
  spec: {
    project: string;
    source?: { repoURL: string; path?: string; targetRevision?: string };
    destination: ArgoCdDestination;
    syncPolicy?: {
      automated?: { prune?: boolean; selfHeal?: boolean };
      syncOptions?: string[];
    };
    [key: string]: unknown;
  };
  status?: unknown;
  operation?: unknown;
}

/** An Argo CD AppProject (`argoproj.io/v1alpha1`). @public */
export interface ArgoCdProject {
  metadata: ArgoCdMetadata;
  spec: {
    description?: string;
    sourceRepos?: string[];
    destinations?: ArgoCdDestination[];
    [key: string]: unknown;
  };
}
