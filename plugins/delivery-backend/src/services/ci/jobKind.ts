import type { CiJobView } from '@gitops-delivery/backstage-plugin-delivery-common';

// Checked in order: "Build and push image" is a container build, not a
// build; "Trivy image scan" is an image scan, not a container build.
const RULES: Array<[CiJobView['kind'], RegExp]> = [
  [
    'image-scan',
    /\b(trivy|grype|anchore|image[\s_-]*scan|scan[\s_-]*image|container[\s_-]*scan|snyk[\s_-]*container)/i,
  ],
  [
    'sast',
    /\b(sast|codeql|semgrep|sonar\w*|static[\s_-]*analysis|gosec|bandit|brakeman|code[\s_-]*scan)/i,
  ],
  [
    'container-build',
    /\b(docker|buildx|kaniko|buildah|container|image|push)\b/i,
  ],
  ['test', /\b(tests?|unit|e2e|integration|spec|jest|pytest)\b/i],
  ['build', /\b(build|compile|package|bundle)\b/i],
];

/** Which pipeline step a CI job is, from its name as the workflow names it. */
export function jobKind(name: string): CiJobView['kind'] {
  return RULES.find(([, pattern]) => pattern.test(name))?.[0] ?? 'other';
}
