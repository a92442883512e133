import {
  SEVERITIES,
  type GateEvidence,
  type ImageVulnerabilities,
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
      unscanned.map(unscannedReason).join('; '),
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

const names = (list: string[]) =>
  list.length > 1
    ? `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`
    : list[0];

/**
 * Why an image has no report: scanners that failed are named as failed
 * (their failure is no evidence that there is nothing to report), the
 * others as having no report.
 */
function unscannedReason(image: ImageVulnerabilities): string {
  const failed = image.sources
    .filter(s => s.status === 'error')
    .map(s => s.source);
  const answered = image.sources
    .filter(s => s.status === 'ok')
    .map(s => s.source);
  if (failed.length === 0) {
    return `No scanner has a report of ${image.image}`;
  }
  return `No report of ${image.image}: the scanner${
    failed.length > 1 ? 's' : ''
  } ${names(failed)} failed${
    answered.length > 0
      ? `, and ${names(answered)} ${
          answered.length > 1 ? 'have' : 'has'
        } no report of it`
      : ''
  }`;
}
