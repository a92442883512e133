import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ImageVulnerabilities,
  RolloutView,
  RolloutVulnerabilitiesView,
  SeverityCounts,
  SourceStatus,
  VulnerabilitiesResponse,
  VulnerabilityFinding,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { SignalCache } from '../signals/SignalCache';
import { mergeFindings, newInCanary } from './findingsDelta';
import { imageName, parseImageReference } from './imageReference';
import {
  podImageDigests,
  podRefs,
  vulnerabilityReportRefs,
  type TreeNode,
  type TreeResourceRef,
} from './resourceTree';
import {
  addCounts,
  emptyCounts,
  fixableCounts,
  severityCounts,
  sortFindings,
} from './severity';
import { createSnykClient, isValidSnykId, type SnykClient } from './SnykClient';
import {
  createTrivyReportClient,
  type TrivyReportClient,
  type TrivyStoreResult,
} from './TrivyReportClient';
import {
  parseOperatorReport,
  type OperatorReport,
} from './trivyOperatorReport';
import type { VulnerabilitiesConfig } from './vulnerabilitiesConfig';

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
}

/** Input of VulnerabilitiesService.getVulnerabilities. @public */
export interface VulnerabilitiesRequest {
  entityRef: string;
  environment: string;
  /** The entity's `snyk.io/org-id`; the configured org otherwise. */
  snykOrgId?: string;
  rollouts: RolloutScanTarget[];
}

/** Findings of the deployed images, canary vs stable. @public */
export interface VulnerabilitiesService {
  getVulnerabilities(
    request: VulnerabilitiesRequest,
  ): Promise<VulnerabilitiesResponse>;
  /** Counts of the images being rolled out (canary, else stable). */
  summarize(request: Omit<VulnerabilitiesRequest, 'entityRef'>): Promise<{
    counts: SeverityCounts;
    fixableCounts: SeverityCounts;
    sources: SourceStatus[];
  }>;
}

const REPORT_TTL_MS = 5 * 60_000;

type SourceName = 'trivy' | 'trivy-operator' | 'snyk';

type SideResult = {
  image: ImageVulnerabilities;
};

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Creates the VulnerabilitiesService over the configured scanners. @public */
export function createVulnerabilitiesService(options: {
  config: VulnerabilitiesConfig;
  cache: SignalCache;
  logger: LoggerService;
  fetch?: typeof fetch;
}): VulnerabilitiesService {
  const { config, cache, logger } = options;
  const trivy: TrivyReportClient | undefined =
    config.trivy &&
    createTrivyReportClient(config.trivy, { fetch: options.fetch });
  const snyk: SnykClient | undefined =
    config.snyk && createSnykClient(config.snyk, { fetch: options.fetch });

  async function operatorReports(
    target: RolloutScanTarget,
    hash: string,
  ): Promise<OperatorReport[]> {
    const refs = vulnerabilityReportRefs(target.treeNodes, target.view, hash);
    const manifests = await Promise.all(
      refs.map(ref => target.readResource(ref)),
    );
    return manifests.flatMap(m => parseOperatorReport(m) ?? []);
  }

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
    target: RolloutScanTarget,
    hash: string | undefined,
    images: string[],
    snykOrgId: string | undefined,
  ): Promise<SideResult | undefined> {
    const image = images[0];
    if (!image || !hash) return undefined;
    const sources: SourceStatus[] = [];
    const lists: VulnerabilityFinding[][] = [];
    const createdAt: string[] = [];
    const ref = parseImageReference(image);
    let digest = ref.digest;
    const record = (
      source: SourceName,
      status: SourceStatus['status'],
      message?: string,
    ) => sources.push({ source, status, ...(message ? { message } : {}) });

    // Trivy Operator first: its report also names the digest it scanned.
    if (config.trivyOperator.enabled) {
      try {
        const reports = await operatorReports(target, hash);
        const own = reports.filter(
          r => !r.image || images.length === 1 || r.image === image,
        );
        if (own.length === 0) {
          record(
            'trivy-operator',
            'ok',
            `No VulnerabilityReport for ReplicaSet ${target.view.name}-${hash}`,
          );
        } else {
          record('trivy-operator', 'ok');
          for (const r of own) {
            lists.push(r.findings);
            if (r.createdAt) createdAt.push(r.createdAt);
            digest ??= r.digest;
          }
        }
      } catch (error) {
        record('trivy-operator', 'error', errorMessage(error));
      }
    }

    if (!digest && trivy) {
      digest = await podDigest(target, hash, image);
    }

    if (trivy) {
      if (!digest) {
        record(
          'trivy',
          'error',
          `The digest of ${image} is unknown, so no report can be looked up`,
        );
      } else {
        try {
          const result = await cache.getOrLoad<TrivyStoreResult>(
            `trivy:report:${digest}`,
            REPORT_TTL_MS,
            () => trivy.getReport(digest!),
          );
          if (result.kind === 'report') {
            record('trivy', 'ok');
            lists.push(result.findings);
            if (result.createdAt) createdAt.push(result.createdAt);
          } else if (result.kind === 'missing') {
            record('trivy', 'ok', `No Trivy report for ${digest}`);
          } else {
            record('trivy', 'error', `Trivy report ignored: ${result.reason}`);
          }
        } catch (error) {
          record('trivy', 'error', errorMessage(error));
        }
      }
    }

    if (snyk) {
      const orgId = snykOrgId ?? config.snyk?.orgId;
      if (!orgId || !isValidSnykId(orgId)) {
        record(
          'snyk',
          'not-configured',
          'No Snyk organisation for this entity',
        );
      } else {
        try {
          const name = imageName(ref);
          const result = await cache.getOrLoad(
            `snyk:${orgId}:${name}`,
            REPORT_TTL_MS,
            async () => {
              const project = await snyk.findProject(orgId, name);
              return project ? await snyk.listIssues(orgId, project.id) : null;
            },
          );
          if (!result) {
            record('snyk', 'ok', `No Snyk project named ${name}`);
          } else {
            record(
              'snyk',
              'ok',
              result.truncated
                ? `Only the first ${
                    config.snyk!.maxPages
                  } pages of issues were read`
                : undefined,
            );
            lists.push(result.findings);
            if (result.updatedAt) createdAt.push(result.updatedAt);
          }
        } catch (error) {
          record('snyk', 'error', errorMessage(error));
        }
      }
    }

    const findings = sortFindings(mergeFindings(lists));
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
    };
  }

  async function scanRollout(
    target: RolloutScanTarget,
    snykOrgId: string | undefined,
  ): Promise<RolloutVulnerabilitiesView> {
    const { view } = target;
    const promoted =
      view.fullyPromoted || view.canaryPodHash === view.stablePodHash;
    const [canary, stable] = await Promise.all([
      promoted
        ? Promise.resolve(undefined)
        : scanSide(target, view.canaryPodHash, view.canaryImages, snykOrgId),
      scanSide(target, view.stablePodHash, view.stableImages, snykOrgId),
    ]);
    return {
      instance: view.instance,
      application: view.application,
      namespace: view.namespace,
      rollout: view.name,
      canary: canary?.image,
      stable: stable?.image,
      newInCanary:
        canary && stable
          ? newInCanary(canary.image.findings, stable.image.findings)
          : canary?.image.findings ?? [],
    };
  }

  /** One status per source: an error anywhere wins, else ok. */
  function sourceSummary(images: ImageVulnerabilities[]): SourceStatus[] {
    const result: SourceStatus[] = [];
    const names: SourceName[] = ['trivy', 'trivy-operator', 'snyk'];
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
      else if (
        (source === 'trivy' && !trivy) ||
        (source === 'snyk' && !snyk) ||
        (source === 'trivy-operator' && !config.trivyOperator.enabled)
      ) {
        result.push({ source, status: 'not-configured' });
      }
    }
    return result;
  }

  async function getVulnerabilities(
    request: Omit<VulnerabilitiesRequest, 'entityRef'> & { entityRef?: string },
  ) {
    const rollouts = await Promise.all(
      request.rollouts.map(r => scanRollout(r, request.snykOrgId)),
    );
    const images = rollouts.flatMap(r =>
      [r.canary, r.stable].filter((i): i is ImageVulnerabilities => !!i),
    );
    return { rollouts, sources: sourceSummary(images) };
  }

  return {
    async getVulnerabilities(request) {
      const { rollouts, sources } = await getVulnerabilities(request);
      return {
        entityRef: request.entityRef,
        environment: request.environment,
        rollouts,
        sources,
      };
    },

    async summarize(request) {
      const { rollouts, sources } = await getVulnerabilities(request);
      let counts = emptyCounts();
      let fixable = emptyCounts();
      for (const r of rollouts) {
        const image = r.canary ?? r.stable;
        if (!image) continue;
        counts = addCounts(counts, image.counts);
        fixable = addCounts(fixable, image.fixableCounts);
      }
      return { counts, fixableCounts: fixable, sources };
    },
  };
}
