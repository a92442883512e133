/*
 * The fields of a live apps/v1 Deployment that the model reads. Live objects
 * come from Argo CD as untyped JSON; everything is optional and read
 * defensively.
 */

/** One condition of a Deployment's status. @public */
export interface DeploymentConditionObject {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

/** A live apps/v1 Deployment. @public */
export interface DeploymentObject {
  metadata?: {
    name?: string;
    namespace?: string;
    generation?: number;
    annotations?: Record<string, string>;
  };
  spec?: {
    replicas?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
    strategy?: {
      type?: string;
      rollingUpdate?: {
        maxSurge?: number | string;
        maxUnavailable?: number | string;
      };
    };
    template?: {
      spec?: { containers?: Array<{ name?: string; image?: string }> };
    };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: DeploymentConditionObject[];
  };
}
