import {
  BUILT_IN_POLICY_NAME,
  type PolicyDefinition,
} from '@gitops-delivery/backstage-plugin-delivery-common';

/**
 * The policy DESIGN.md promises when nothing else is configured: no HIGH or
 * CRITICAL CVE in the image, no HIGH or CRITICAL runtime (Falco) detection
 * in the rollout's pods, canary error rate below 0.1%, a 10-minute soak,
 * a successful analysis, the previous environment running the same image
 * Synced and Healthy, and no drift.
 *
 * @public
 */
export const BUILT_IN_POLICY: PolicyDefinition = {
  name: BUILT_IN_POLICY_NAME,
  description:
    'No HIGH/CRITICAL CVEs, no HIGH/CRITICAL runtime detections, canary error rate below 0.1%, 10 min soak, analysis successful, previous environment synced and healthy at the same image, no drift.',
  gates: [
    {
      kind: 'vulnerabilities',
      name: 'no-high-or-critical-cves',
      onUnknown: 'fail',
      max: { CRITICAL: 0, HIGH: 0 },
      onlyFixable: false,
    },
    {
      kind: 'security',
      name: 'no-high-or-critical-runtime-detections',
      onUnknown: 'fail',
      // without Falco configured the layer is not judged; a configured
      // source that fails is unknown and so fails closed
      layers: {
        runtime: { max: { CRITICAL: 0, HIGH: 0 }, onMissing: 'pass' },
      },
    },
    {
      kind: 'slo',
      name: 'canary-error-rate',
      onUnknown: 'fail',
      slo: 'error-rate',
      threshold: 0.001,
      comparison: 'below',
    },
    { kind: 'soak', name: 'soak', onUnknown: 'fail', minutes: 10 },
    { kind: 'analysis', name: 'analysis', onUnknown: 'fail' },
    {
      kind: 'upstream-environment',
      name: 'upstream-environment',
      onUnknown: 'fail',
    },
    { kind: 'in-sync', name: 'in-sync', onUnknown: 'fail' },
  ],
};
