import {
  SEVERITIES,
  type GateEvidence,
  type VulnerabilitiesGateDefinition,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { unknown, type GateVerdict, type PolicyInput } from '../PolicyInput';

/** At most `max[severity]` findings, summed over the images being promoted. */
export function vulnerabilitiesGate(
  gate: VulnerabilitiesGateDefinition,
  input: PolicyInput,
): GateVerdict {
  if (!input.images || input.images.length === 0) {
    return unknown(
      `No scan result for the image being promoted${
        input.imagesError ? `: ${input.imagesError}` : ''
      }`,
    );
  }
  const unscanned = input.images.filter(
    // no report of the image is no evidence, not a clean image
    image => image.reportFound !== true,
  );
  if (unscanned.length > 0) {
    return unknown(
      `No scanner has a report of ${unscanned.map(i => i.image).join(', ')}`,
      unscanned.map(i => ({
        label: `scan of ${i.image}`,
        value:
          i.sources.map(s => s.message ?? s.status).join('; ') ||
          'no scanner configured',
      })),
    );
  }
  const evidence: GateEvidence[] = [];
  const over: string[] = [];
  const which = gate.onlyFixable ? 'fixable ' : '';
  for (const severity of SEVERITIES) {
    const max = gate.max[severity];
    if (max === undefined) continue;
    const count = input.images.reduce(
      (sum, image) =>
        sum + (gate.onlyFixable ? image.fixableCounts : image.counts)[severity],
      0,
    );
    evidence.push({
      label: `${which}${severity} findings`,
      value: count,
      threshold: max,
    });
    if (count > max) over.push(`${count} ${which}${severity} (allowed ${max})`);
  }
  const images = input.images.map(i => i.image).join(', ');
  if (over.length > 0) {
    return {
      outcome: 'fail',
      reason: `${images} has ${over.join(', ')}`,
      evidence,
    };
  }
  return {
    outcome: 'pass',
    reason: `${images} is within the allowed ${which}findings`,
    evidence,
  };
}
