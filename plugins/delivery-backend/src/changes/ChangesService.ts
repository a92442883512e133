import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  ChangeCommits,
  ChangesResponse,
  ManifestChanges,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type {
  ArgoCdClient,
  SecretRedactor,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { redactResponse } from '../diff/redactResponse';
import type { EntityRefParams } from '../services/EntityResolver/EntityResolver';
import type { OverviewService } from '../services/overview/OverviewService';
import type { CompareCommits } from './githubCompare';
import {
  imageChanges,
  imagesOf,
  manifestChanges,
  parseManifests,
} from './manifestChanges';
import { resolveSide, type ResolvedSide } from './resolveSide';
import { vulnerabilityDelta, type ScanImages } from './vulnerabilityDelta';

/** What a promotion changes. @public */
export interface ChangesService {
  getChanges(
    ref: EntityRefParams,
    credentials: BackstageCredentials,
    query: { from: string; to: string },
  ): Promise<ChangesResponse>;
}

const causeOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/**
 * Creates the ChangesService. The entity is read as the caller (as for the
 * overview). The commits, the manifests and the vulnerabilities are read
 * in parallel and each fails on its own: the answer names the part's error
 * and keeps the others.
 */
export function createChangesService(options: {
  overviewService: OverviewService;
  argocd: ArgoCdClient;
  compare: CompareCommits;
  scan: ScanImages;
  logger: LoggerService;
  redactor: SecretRedactor;
}): ChangesService {
  const { argocd, logger } = options;

  const manifestsOf = async (
    side: ResolvedSide,
    revision: string | undefined,
    target: ResolvedSide = side,
  ) => {
    if (!revision) {
      throw new Error(`${side.selector} has no known revision`);
    }
    const { manifests } = await argocd.getManifests(
      target.instance,
      {
        name: target.app.name,
        appNamespace: target.app.appNamespace,
        project: target.app.project,
      },
      revision,
    );
    return parseManifests(manifests);
  };

  async function commits(
    from: ResolvedSide,
    to: ResolvedSide,
  ): Promise<ChangeCommits> {
    const repo = to.app.repoURL;
    if (!repo || !from.revision || !to.revision) {
      return {
        state: 'error',
        error: 'The Applications name no Git repository or revision',
        items: [],
      };
    }
    if (from.app.repoURL && from.app.repoURL !== repo) {
      return {
        state: 'error',
        error: `${from.application} and ${to.application} deploy from different repositories`,
        items: [],
      };
    }
    return options.compare(repo, to.revision, from.revision);
  }

  return {
    async getChanges(ref, credentials, query) {
      const state = await options.overviewService.getDeliveryState(
        ref,
        credentials,
        { contributors: false },
      );
      const from = resolveSide(state.overview, 'from', query.from);
      const to = resolveSide(state.overview, 'to', query.to);

      // the baseline rendered at its own revision and at the promoted one
      const rendered = Promise.all([
        manifestsOf(to, to.revision),
        manifestsOf(from, from.revision, to),
      ]);
      // a side's images: what its Application runs now, else (a history
      // entry) what its own manifests named at that revision
      const imagesOfSide = async (side: ResolvedSide) =>
        side.images ?? imagesOf(await manifestsOf(side, side.revision));
      const [commitsPart, manifestsPart, sideImages] = await Promise.all([
        commits(from, to),
        rendered.then(
          ([before, after]): ManifestChanges => ({
            state: 'ok',
            resources: manifestChanges(before, after),
          }),
          (error): ManifestChanges => {
            logger.warn(
              `Delivery: manifests for ${state.overview.entityRef} ${
                query.from
              }→${query.to}: ${causeOf(error)}`,
            );
            return { state: 'error', error: causeOf(error), resources: [] };
          },
        ),
        Promise.all([imagesOfSide(from), imagesOfSide(to)]).catch(error => {
          logger.warn(
            `Delivery: images for ${state.overview.entityRef}: ${causeOf(
              error,
            )}`,
          );
          return undefined;
        }),
      ]);
      const images = sideImages
        ? imageChanges(sideImages[1], sideImages[0])
        : [];
      // digests the scanners learned complete the image versions
      const digests = new Map<string, string>();
      const vulnerabilities = sideImages
        ? await vulnerabilityDelta({
            scan: options.scan,
            entity: state.entity,
            from,
            to,
            images,
            onDigest: (reference, digest) => digests.set(reference, digest),
          })
        : {
            state: 'error' as const,
            error: 'The images of the two sides could not be read',
            before: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
            after: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
            introduced: [],
            fixed: [],
          };
      const { app: _fromApp, ...fromSide } = from;
      const { app: _toApp, ...toSide } = to;
      for (const change of images) {
        for (const v of [change.before, change.after]) {
          const digest = v && digests.get(v.reference);
          if (v && digest && !v.digest) v.digest = digest;
        }
      }
      return redactResponse(options.redactor, {
        entityRef: state.overview.entityRef,
        from: { ...fromSide, ...(sideImages ? { images: sideImages[0] } : {}) },
        to: { ...toSide, ...(sideImages ? { images: sideImages[1] } : {}) },
        commits: commitsPart,
        images,
        vulnerabilities,
        manifests: manifestsPart,
      });
    },
  };
}
