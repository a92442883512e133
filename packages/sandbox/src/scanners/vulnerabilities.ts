import { imageDigest } from '../ids';
import type { WorldState } from '../world/state';
import type { VulnerabilitySpec, WorldService } from '../world/types';

/** An image of the demo world with what the scanners find in it. */
export interface ScannedImage {
  service: WorldService;
  version: string;
  repository: string;
  tag: string;
  digest: string;
  vulnerabilities: VulnerabilitySpec[];
}

/**
 * What the scanners find in a service version: the newest release carries
 * the scenario's canary profile, older releases its stable profile.
 */
export function scanImage(
  world: WorldState,
  service: WorldService,
  version: string,
): ScannedImage {
  const scenario = world.scenarios[service.name];
  const newest = service.versions[service.versions.length - 1];
  const profile =
    version === newest
      ? scenario?.vulnerabilities.canary
      : scenario?.vulnerabilities.stable;
  return {
    service,
    version,
    repository: service.image,
    tag: version,
    digest: imageDigest(service.image, version),
    vulnerabilities: world.vulnerabilityProfiles[profile ?? 'baseline'] ?? [],
  };
}

/** Every image of the demo world. */
export function allImages(world: WorldState): ScannedImage[] {
  return world.services.flatMap(s =>
    s.versions.map(v => scanImage(world, s, v)),
  );
}

/** Counts findings per severity, Trivy Operator style. */
export function severityCounts(vulns: VulnerabilitySpec[]) {
  const count = (s: VulnerabilitySpec['severity']) =>
    vulns.filter(v => v.severity === s).length;
  return {
    criticalCount: count('CRITICAL'),
    highCount: count('HIGH'),
    mediumCount: count('MEDIUM'),
    lowCount: count('LOW'),
    unknownCount: count('UNKNOWN'),
    noneCount: 0,
  };
}
