/*
 * GET /api/v1/applications/{name}/manifests?revision= (swagger
 * repositoryManifestResponse): the objects an Application renders at a
 * revision of its repository. A revision names one release of the service
 * (full SHA or a prefix of 7 or more); without one, the app's target.
 */
import type { AppState, WorldState } from '../world/state';
import { revisionOf } from './application';
import { ArgoError } from './errors';
import { appResources } from './resources';

/** The manifests of an application at a revision, as Argo CD answers them. */
export function manifestsAt(
  world: WorldState,
  app: AppState,
  revision: string | null,
) {
  const version = revision
    ? app.service.versions.find(v => {
        const sha = revisionOf(app, v);
        return (
          sha === revision || (revision.length >= 7 && sha.startsWith(revision))
        );
      })
    : app.targetVersion;
  if (!version) {
    throw new ArgoError(
      2,
      `rpc error: code = Unknown desc = unable to resolve '${revision}' to a commit SHA`,
    );
  }
  // Git at that revision: the same Application with that version as target
  const rendered = appResources(world, { ...app, targetVersion: version })
    .filter(r => r.managed && r.target)
    .map(r => JSON.stringify(r.target));
  return {
    manifests: rendered,
    namespace: app.destNamespace,
    server: app.destServer,
    revision: revisionOf(app, version),
    sourceType: 'Kustomize',
  };
}
