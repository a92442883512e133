import type { LoggerService } from '@backstage/backend-plugin-api';
import { SECURITY_LAYERS } from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  ImageVulnerabilities,
  RolloutView,
  RolloutVulnerabilitiesView,
  SecurityLayer,
  SecurityLayerView,
  SeverityCounts,
  SourceStatus,
  VulnerabilitiesResponse,
  VulnerabilityFinding,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  SecretRedactor,
  DeliveryEntityInfo,
  DeliveryScanner,
  RolloutSide,
  ScanTarget,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { mergeFindings, newInCanary } from './findingsDelta';
import { parseImageReference } from './imageReference';
import {
  podImageDigests,
  podRefs,
  type TreeNode,
  type TreeResourceRef,
} from './resourceTree';
import { BUILT_IN_SCANNER_IDS } from './scanners/builtInScanners';
import {
  emptySideLayer,
  layerView,
  mergeLayerViews,
  type SideLayer,
} from './securityLayers';
import {
  addCounts,
  emptyCounts,
  fixableCounts,
  severityCounts,
  sortFindings,
} from './severity';

/** A rollout with the Argo CD resource tree of its Application. @public */
export interface RolloutScanTarget {
  view: Pick<
    RolloutView,
    | 'instance'
    | 'application'
    | 'namespace'
    | 'name'
    | 'canaryPodHash'
    | 'stablePodHash'
    | 'canaryImages'
    | 'stableImages'
    | 'fullyPromoted'
  >;
  treeNodes: TreeNode[];
  /** Reads a live manifest of the Application (through Argo CD). */
  readResource(ref: TreeResourceRef): Promise<unknown>;
  /** The git commit each side was built from, when known (SAST, SCA). */
  revisions?: Partial<Record<RolloutSide, string>>;
}

/** Input of VulnerabilitiesService.getVulnerabilities. @public */
export interface VulnerabilitiesRequest {
  /** The entity; scanners read their own inputs (e.g. Snyk's org) from it. */
  entity: DeliveryEntityInfo;
  environment: string;
  rollouts: RolloutScanTarget[];
}

/** Findings of the deployed images, canary vs stable. @public */
export interface VulnerabilitiesService {
  getVulnerabilities(
    request: VulnerabilitiesRequest,
  ): Promise<VulnerabilitiesResponse>;
  /** Counts of the images being rolled out (canary, else stable). */
  summarize(request: VulnerabilitiesRequest): Promise<{
    counts: SeverityCounts;
    fixableCounts: SeverityCounts;
    sources: SourceStatus[];
    /** The five security layers of the environment. */
    layers: SecurityLayerView[];
  }>;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sourceStatus(
  source: string,
  result: Awaited<ReturnType<DeliveryScanner['scan']>>,
): SourceStatus {
  const status = result.status === 'not-configured' ? 'not-configured' : 'ok';
  return {
    source,
    status,
    ...(result.message ? { message: result.message } : {}),
  };
}

/**
 * Creates the VulnerabilitiesService over the registered scanners (the
 * built-ins that are configured, then the ones modules added).
 * @public
 */
export function createVulnerabilitiesService(options: {
  scanners: ReadonlyArray<DeliveryScanner>;
  logger: LoggerService;
  /** Redacts what scanners' errors say (a module's scanners' too). */
  redactor?: SecretRedactor;
}): VulnerabilitiesService {
  const { scanners, logger, redactor } = options;
  const registered = new Set(scanners.map(s => s.id));
  const layerOf = (scanner: DeliveryScanner): SecurityLayer =>
    scanner.layer ?? 'image';
  const registeredByLayer = Object.fromEntries(
    SECURITY_LAYERS.map(layer => [
      layer,
      scanners.filter(s => layerOf(s) === layer).map(s => s.id),
    ]),
  ) as Record<SecurityLayer, string[]>;

  async function podDigest(
    target: RolloutScanTarget,
    hash: string,
    image: string,
  ): Promise<string | undefined> {
    // All Pods of a ReplicaSet run the same template, but a Pod that is
    // pending (or gone) has no imageID yet: try a few.
    for (const pod of podRefs(target.treeNodes, target.view, hash).slice(
      0,
      3,
    )) {
      try {
        const digest = podImageDigests(await target.readResource(pod))[image];
        if (digest) return digest;
      } catch (error) {
        logger.warn(
          `Delivery: digest of ${image} from Pod ${pod.namespace}/${
            pod.name
          }: ${errorMessage(error)}`,
        );
      }
    }
    return undefined;
  }

  async function scanSide(
    rollout: RolloutScanTarget,
    side: RolloutSide,
    hash: string | undefined,
    images: string[],
    request: Pick<VulnerabilitiesRequest, 'entity' | 'environment'>,
  ): Promise<
    | {
        image?: ImageVulnerabilities;
        layers: Map<SecurityLayer, SideLayer>;
      }
    | undefined
  > {
    // a side without a known image still has Pods to watch (runtime, IaC)
    const image: string | undefined = images[0];
    if (!hash) return undefined;
    const layers = new Map<SecurityLayer, SideLayer>();
    const sources: SourceStatus[] = [];
    const lists: VulnerabilityFinding[][] = [];
    const createdAt: string[] = [];
    let digest = image ? parseImageReference(image).digest : undefined;
    let podLookup: Promise<string | undefined> | undefined;
    const target = (): ScanTarget => ({
      entity: request.entity,
      environment: request.environment,
      rollout: {
        instance: rollout.view.instance,
        application: rollout.view.application,
        namespace: rollout.view.namespace,
        name: rollout.view.name,
      },
      side,
      podTemplateHash: hash,
      image: { reference: image ?? '', digest },
      sideImages: images,
      resolveDigest: () => {
        if (digest || !image) return Promise.resolve(digest);
        podLookup ??= podDigest(rollout, hash, image).then(found => {
          digest ??= found;
          return digest;
        });
        return podLookup;
      },
      treeNodes: rollout.treeNodes,
      readResource: ref => rollout.readResource(ref),
      revision: rollout.revisions?.[side],
    });

    // The other layers do not read the image (their findings are kept
    // apart): each starts now, alongside the image scanners, instead of
    // waiting for them and for each other.
    const others = scanners
      .filter(scanner => layerOf(scanner) !== 'image')
      .map(scanner => ({
        scanner,
        result: Promise.resolve()
          .then(() => scanner.scan(target()))
          .then(
            value => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          ),
      }));
    // the image scanners one after the other: each sees the digest the
    // earlier found
    for (const scanner of scanners) {
      if (layerOf(scanner) !== 'image' || !image) continue;
      try {
        const result = await scanner.scan(target());
        sources.push(sourceStatus(scanner.id, result));
        if (result.status === 'report') {
          lists.push(result.findings);
          if (result.createdAt) createdAt.push(result.createdAt);
          digest ??= result.digest;
        }
      } catch (error) {
        const message = errorMessage(error);
        sources.push({
          source: scanner.id,
          status: 'error',
          message: redactor ? redactor.redact(message) : message,
        });
      }
    }
    // collected in the scanners' order, whichever answered first
    for (const { scanner, result } of others) {
      const layer = layerOf(scanner);
      const collected = layers.get(layer) ?? emptySideLayer();
      layers.set(layer, collected);
      const outcome = await result;
      if (!outcome.ok) {
        const message = errorMessage(outcome.error);
        collected.sources.push({
          source: scanner.id,
          status: 'error',
          message: redactor ? redactor.redact(message) : message,
        });
        continue;
      }
      collected.sources.push(sourceStatus(scanner.id, outcome.value));
      if (outcome.value.status === 'report') {
        collected.reported = true;
        collected.findings.push(
          ...outcome.value.findings.map(f => ({
            ...f,
            layer: f.layer ?? layer,
          })),
        );
        collected.links.push(...(outcome.value.links ?? []));
      }
    }

    if (!image) return { layers };
    const findings = sortFindings(mergeFindings(lists));
    layers.set('image', {
      sources,
      findings,
      reported: lists.length > 0,
      links: [],
    });
    return {
      image: {
        image,
        digest,
        counts: severityCounts(findings),
        fixableCounts: fixableCounts(findings),
        findings,
        reportCreatedAt: createdAt.sort().at(-1),
        // a report with no findings counts: it is what a clean image looks like
        reportFound: lists.length > 0,
        sources,
      },
      layers,
    };
  }

  async function scanRollout(
    target: RolloutScanTarget,
    request: Pick<VulnerabilitiesRequest, 'entity' | 'environment'>,
  ): Promise<RolloutVulnerabilitiesView & { layers: SecurityLayerView[] }> {
    const { view } = target;
    const promoted =
      view.fullyPromoted || view.canaryPodHash === view.stablePodHash;
    const [canarySide, stableSide] = await Promise.all([
      promoted
        ? Promise.resolve(undefined)
        : scanSide(
            target,
            'canary',
            view.canaryPodHash,
            view.canaryImages,
            request,
          ),
      scanSide(
        target,
        'stable',
        view.stablePodHash,
        view.stableImages,
        request,
      ),
    ]);
    const canary = canarySide?.image;
    const stable = stableSide?.image;
    return {
      instance: view.instance,
      application: view.application,
      namespace: view.namespace,
      rollout: view.name,
      canary,
      stable,
      newInCanary:
        canary && stable
          ? newInCanary(canary.findings, stable.findings)
          : canary?.findings ?? [],
      layers: SECURITY_LAYERS.map(layer =>
        layerView(
          layer,
          registeredByLayer[layer],
          canarySide?.layers.get(layer),
          stableSide?.layers.get(layer),
        ),
      ),
    };
  }

  /** One status per source: an error anywhere wins, else ok. */
  function sourceSummary(
    images: Array<Pick<ImageVulnerabilities, 'sources'>>,
  ): SourceStatus[] {
    const result: SourceStatus[] = [];
    const names = [
      ...BUILT_IN_SCANNER_IDS,
      ...scanners
        .map(s => s.id)
        .filter(id => !BUILT_IN_SCANNER_IDS.includes(id)),
    ];
    for (const source of names) {
      const statuses = images.flatMap(i =>
        i.sources.filter(s => s.source === source),
      );
      const error = statuses.find(s => s.status === 'error');
      if (error)
        result.push({ source, status: 'error', message: error.message });
      else if (statuses.some(s => s.status === 'ok'))
        result.push({ source, status: 'ok' });
      else if (statuses.length > 0) result.push(statuses[0]);
      else if (!registered.has(source)) {
        result.push({ source, status: 'not-configured' });
      }
    }
    return result;
  }

  async function getVulnerabilities(request: VulnerabilitiesRequest) {
    const rollouts = await Promise.all(
      request.rollouts.map(r => scanRollout(r, request)),
    );
    const images = rollouts.flatMap(r =>
      [r.canary, r.stable].filter((i): i is ImageVulnerabilities => !!i),
    );
    // the other layers' scanners are sources of the view too
    const others = rollouts.flatMap(r =>
      r.layers
        .filter(l => l.layer !== 'image')
        .map(l => ({ sources: l.sources })),
    );
    return {
      rollouts,
      sources: sourceSummary([...images, ...others]),
      layers: mergeLayerViews(
        rollouts.map(r => r.layers),
        registeredByLayer,
      ),
    };
  }

  return {
    async getVulnerabilities(request) {
      const { rollouts, sources, layers } = await getVulnerabilities(request);
      return {
        entityRef: request.entity.entityRef,
        environment: request.environment,
        rollouts,
        sources,
        layers,
      };
    },

    async summarize(request) {
      const { rollouts, sources, layers } = await getVulnerabilities(request);
      let counts = emptyCounts();
      let fixable = emptyCounts();
      for (const r of rollouts) {
        const image = r.canary ?? r.stable;
        if (!image) continue;
        counts = addCounts(counts, image.counts);
        fixable = addCounts(fixable, image.fixableCounts);
      }
      return { counts, fixableCounts: fixable, sources, layers };
    },
  };
}
