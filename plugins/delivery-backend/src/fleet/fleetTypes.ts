import type { JsonObject } from '@backstage/types';
import type { ArgoCdApplicationTree } from '@gitops-delivery/backstage-plugin-delivery-node';
import type {
  FleetCi,
  FleetPolicy,
  FleetSecurity,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/** The fields of an Argo CD Application (swagger `v1alpha1Application`) the fleet reads. */
export interface FleetApplication {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  spec?: { project?: string };
  status?: {
    sync?: { status?: string };
    health?: { status?: string };
    summary?: { images?: string[] };
    resources?: Array<{
      group?: string;
      version?: string;
      kind?: string;
      namespace?: string;
      name?: string;
      health?: { status?: string };
    }>;
  };
}

/** An Application of the fleet's instance-wide list, with where it came from. */
export interface ListedApplication {
  instance: string;
  application: FleetApplication;
}

/**
 * What the fleet needs of the Argo CD client: the plugin's one client, whose
 * cache and coalescing the tab shares, so the fleet and the tabs read the
 * same state.
 */
export interface FleetArgoCd {
  readonly instanceNames: string[];
  /** The Argo CD UI link of an Application. */
  applicationUrl(
    instance: string,
    app: { name: string; appNamespace?: string; project?: string },
  ): string;
  listApplications(
    instance: string,
    query: Record<string, never>,
  ): Promise<FleetApplication[]>;
  getResource(
    instance: string,
    app: { name: string; appNamespace?: string; project?: string },
    resource: {
      group: string;
      version: string;
      kind: string;
      namespace: string;
      name: string;
    },
  ): Promise<JsonObject>;
  /** The Application's resource tree (a canary's AnalysisRuns are found in it). */
  getResourceTree(
    instance: string,
    app: { name: string; appNamespace?: string; project?: string },
  ): Promise<ArgoCdApplicationTree>;
}

/** The signals of one environment, as the fleet shows them. */
export interface FleetSignals {
  security?: FleetSecurity;
  policy?: FleetPolicy;
  ci?: FleetCi;
}
