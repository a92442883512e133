import { wireTime } from '../clock';
import { unitNoise } from '../ids';
import type { AppState, WorldState } from '../world/state';
import { revisionOf, valuesRevisionOf } from './application';
import { ArgoError } from './errors';

const AUTHORS = [
  'Ada Lovelace <ada@acme.example>',
  'Grace Hopper <grace@acme.example>',
  'Linus Pauling <linus@acme.example>',
  'Mary Jackson <mary@acme.example>',
];

/** When a service version was committed (simulated ms). */
export function commitTime(
  world: WorldState,
  app: AppState,
  version: string,
): number {
  const versions = app.service.versions;
  const i = versions.indexOf(version);
  return (
    world.startedAt - (versions.length - 1 - i) * 3 * 86_400_000 - 5 * 3_600_000
  );
}

/** Revision metadata (swagger v1alpha1RevisionMetadata) of a revision of an app. */
export function revisionMetadata(
  world: WorldState,
  app: AppState,
  revision: string,
  sourceIndex: number,
): Record<string, unknown> {
  const multi = !!app.service.multiSource;
  if (sourceIndex < 0 || sourceIndex > (multi ? 1 : 0)) {
    throw new ArgoError(3, `source index ${sourceIndex} not found`);
  }
  for (const version of app.service.versions) {
    const isValues = multi && sourceIndex === 1;
    const rev = isValues ? valuesRevisionOf(version) : revisionOf(app, version);
    if (rev !== revision && !(revision.length >= 7 && rev.startsWith(revision)))
      continue;
    const author = isValues
      ? 'Platform Bot <platform-bot@acme.example>'
      : AUTHORS[
          Math.floor(
            unitNoise(`${app.service.name}:${version}`) * AUTHORS.length,
          )
        ];
    return {
      author,
      date: wireTime(world.clock, commitTime(world, app, version)),
      message: isValues
        ? `values: ${app.service.name} ${version}`
        : `release: ${app.service.name} ${version}\n\nBump the image to ${app.service.image}:${version}.`,
      ...(isValues ? {} : { tags: [`v${version}`] }),
    };
  }
  // the repo-server's git error surfaces as a plain (Unknown) error
  throw new ArgoError(
    2,
    `rpc error: code = Unknown desc = unable to resolve '${revision}' to a commit SHA`,
  );
}
