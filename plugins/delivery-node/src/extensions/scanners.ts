import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  SecurityLayer,
  VulnerabilityFinding,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  DeliveryEntityInfo,
  RolloutIdentity,
  RolloutSide,
} from './entity';

/** A node of the Argo CD resource tree of the rollout's Application. @public */
export interface ScanTreeNode {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  parentRefs?: Array<{
    group?: string;
    kind?: string;
    namespace?: string;
    name?: string;
  }>;
}

/** A live resource of the rollout's Application, to read through Argo CD. @public */
export interface ScanResourceRef {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * What a scanner is asked about: one deployed image on one side of one
 * rollout. Scanners run one after the other in registration order (the
 * built-ins first), each seeing the digest the earlier ones found.
 *
 * @public
 */
export interface ScanTarget {
  entity: DeliveryEntityInfo;
  environment: string;
  rollout: RolloutIdentity;
  /** The side being scanned and its Argo Rollouts pod template hash. */
  side: RolloutSide;
  podTemplateHash: string;
  image: {
    /** The image as the Pod template names it, e.g. `ghcr.io/acme/shop:1.4.2`. */
    reference: string;
    /** `sha256:...`, when known: from the reference or an earlier scanner. */
    digest?: string;
  };
  /** Every image of the side's Pod template, the scanned one first. */
  sideImages: string[];
  /**
   * The digest the side's Pods run, read through Argo CD when not known
   * yet (once per target, whichever scanner asks first).
   */
  resolveDigest(): Promise<string | undefined>;
  /** The resource tree of the rollout's Application (for in-cluster reports). */
  treeNodes: ReadonlyArray<ScanTreeNode>;
  /** Reads one live resource of the Application through Argo CD. */
  readResource(ref: ScanResourceRef): Promise<unknown>;
  /**
   * The git commit the side was built from, for SAST and SCA scanners, when
   * the caller knows it. The backend's own scan targets do not set it yet.
   */
  revision?: string;
  /** How far back a runtime scanner looks: the side's soak window, in seconds. */
  windowSeconds?: number;
}

/**
 * What a scanner found for one target. `report`: it has a report (possibly
 * with no findings: a clean image); `no-report`: it has none for this
 * image; `not-configured`: it does not apply to this entity. A scanner that
 * fails throws; its message is shown as the source's error.
 *
 * @public
 */
export type ScanResult =
  | {
      status: 'report';
      findings: VulnerabilityFinding[];
      /** When the report was produced. */
      createdAt?: string;
      /** The digest the report is of, when the scanner learnt it. */
      digest?: string;
      message?: string;
      /** Where to look further, e.g. the source's page of the findings. */
      links?: Array<{ title: string; url: string }>;
    }
  | { status: 'no-report' | 'not-configured'; message?: string };

/** A vulnerability scanner (image, SCA, SAST, runtime, IaC...). @public */
export interface DeliveryScanner {
  /** Source name in responses, e.g. `grype`; unique among scanners. */
  id: string;
  /**
   * The security layer the scanner reports on: `sast`, `sca`, `image`
   * (default), `runtime` or `iac`. Its findings are grouped, counted and
   * judged (the `security` gate) under that layer.
   */
  layer?: SecurityLayer;
  scan(target: ScanTarget): Promise<ScanResult>;
}

/** The interface of {@link deliveryScannersExtensionPoint}. @public */
export interface DeliveryScannersExtensionPoint {
  addScanner(scanner: DeliveryScanner): void;
}

/**
 * Adds vulnerability scanners to the Delivery backend. Trivy, Trivy
 * Operator and Snyk are registered through it too.
 *
 * @public
 */
export const deliveryScannersExtensionPoint =
  createExtensionPoint<DeliveryScannersExtensionPoint>({
    id: 'delivery.scanners',
  });
