import {
  formatRolloutDuration,
  parseRolloutDuration,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { RolloutPolicyRequirements } from './rolloutRequirements';

/** One way a Rollout's canary steps cannot satisfy a policy. @public */
export interface RolloutViolation {
  /** Index into `spec.strategy.canary.steps`; -1 when it is about the whole spec. */
  stepIndex: number;
  /** What is wrong, naming the step. */
  message: string;
}

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeStep(step: unknown, index: number): string {
  if (!isRecord(step)) return `step ${index}`;
  if ('setWeight' in step)
    return `step ${index} (setWeight ${step.setWeight}%)`;
  if (isRecord(step.pause)) {
    const duration = step.pause.duration;
    return duration === undefined
      ? `step ${index} (pause until promoted)`
      : `step ${index} (pause ${duration})`;
  }
  if ('pause' in step) return `step ${index} (pause until promoted)`;
  if ('analysis' in step) return `step ${index} (analysis)`;
  return `step ${index} (${Object.keys(step).join(', ') || 'empty'})`;
}

function weightOf(step: unknown): number | undefined {
  return isRecord(step) && typeof step.setWeight === 'number'
    ? step.setWeight
    : undefined;
}

/**
 * Checks that a Rollout's canary steps let the policy's gates pass: every
 * weight below 100% is followed by a pause at least as long as the policy's
 * minimum soak (or a manual pause) before the next weight, and an analysis
 * step runs before full promotion when the policy requires analysis.
 * Pure: the Rollout is the parsed manifest.
 */
export function checkRolloutAgainstPolicy(
  rollout: unknown,
  policy: RolloutPolicyRequirements,
): RolloutViolation[] {
  const spec = isRecord(rollout) && isRecord(rollout.spec) ? rollout.spec : {};
  const strategy = isRecord(spec.strategy) ? spec.strategy : {};
  if (!isRecord(strategy.canary)) {
    return [
      {
        stepIndex: -1,
        message: `the Rollout has no canary strategy; policy "${policy.name}" gates canary steps`,
      },
    ];
  }
  const steps = strategy.canary.steps;
  if (!Array.isArray(steps) || steps.length === 0) {
    return [
      {
        stepIndex: -1,
        message: `the Rollout's canary has no steps, so it would go to 100% at once; policy "${policy.name}" needs soaked weights`,
      },
    ];
  }

  const violations: RolloutViolation[] = [];
  let previousWeight = 0;
  steps.forEach((step, index) => {
    if (!isRecord(step) || Object.keys(step).length !== 1) {
      violations.push({
        stepIndex: index,
        message: `${describeStep(
          step,
          index,
        )} must have exactly one kind (setWeight, pause, analysis, ...)`,
      });
      return;
    }
    if ('setWeight' in step) {
      const weight = weightOf(step);
      if (weight === undefined || weight < 0 || weight > 100) {
        violations.push({
          stepIndex: index,
          message: `${describeStep(
            step,
            index,
          )}: setWeight must be a number from 0 to 100`,
        });
      } else if (weight < previousWeight) {
        violations.push({
          stepIndex: index,
          message: `${describeStep(
            step,
            index,
          )} lowers the weight from ${previousWeight}%`,
        });
      } else {
        previousWeight = weight;
      }
    }
    if ('pause' in step && step.pause !== null && !isRecord(step.pause)) {
      violations.push({
        stepIndex: index,
        message: `${describeStep(step, index)}: pause must be an object`,
      });
    }
    if (isRecord(step.pause) && step.pause.duration !== undefined) {
      if (parseRolloutDuration(step.pause.duration) === undefined) {
        violations.push({
          stepIndex: index,
          message: `${describeStep(step, index)}: "${String(
            step.pause.duration,
          )}" is not a duration (use e.g. 30s, 10m, 1h)`,
        });
      }
    }
    if ('analysis' in step) {
      const templates = isRecord(step.analysis) ? step.analysis.templates : [];
      const named =
        Array.isArray(templates) &&
        templates.length > 0 &&
        templates.every(t => isRecord(t) && typeof t.templateName === 'string');
      if (!named) {
        violations.push({
          stepIndex: index,
          message: `${describeStep(
            step,
            index,
          )} must name at least one AnalysisTemplate (templates[].templateName)`,
        });
      }
    }
  });

  if (policy.minSoakSeconds !== undefined) {
    violations.push(...checkSoak(steps, policy.minSoakSeconds, policy.name));
  }
  if (policy.requiresAnalysis) {
    const fullIndex = steps.findIndex(s => (weightOf(s) ?? 0) >= 100);
    const end = fullIndex === -1 ? steps.length : fullIndex;
    const hasAnalysis = steps
      .slice(0, end)
      .some(s => isRecord(s) && 'analysis' in s);
    if (!hasAnalysis) {
      violations.push({
        stepIndex: end,
        message:
          fullIndex === -1
            ? `no analysis step before the canary completes (after step ${
                steps.length - 1
              }); policy "${
                policy.name
              }" requires a successful analysis before 100%`
            : `${describeStep(
                steps[fullIndex],
                fullIndex,
              )} is reached without an analysis step before it; policy "${
                policy.name
              }" requires a successful analysis before 100%`,
      });
    }
  }
  return violations.sort((a, b) => a.stepIndex - b.stepIndex);
}

/** Every weight below 100% must soak: a long enough pause before the next weight. */
function checkSoak(
  steps: unknown[],
  minSeconds: number,
  policyName: string,
): RolloutViolation[] {
  const violations: RolloutViolation[] = [];
  const minimum = formatRolloutDuration(minSeconds);
  steps.forEach((step, index) => {
    const weight = weightOf(step);
    if (weight === undefined || weight <= 0 || weight >= 100) return;
    let next = steps.findIndex(
      (s, i) => i > index && weightOf(s) !== undefined,
    );
    if (next === -1) next = steps.length;
    const pauses = steps
      .slice(index + 1, next)
      .map((s, offset) => ({ step: s, index: index + 1 + offset }))
      .filter(p => isRecord(p.step) && 'pause' in p.step);
    if (pauses.length === 0) {
      violations.push({
        stepIndex: index,
        message: `${describeStep(step, index)} has no pause before ${
          next < steps.length
            ? describeStep(steps[next], next)
            : 'the canary completes'
        }; policy "${policyName}" requires a soak of at least ${minimum} at each weight`,
      });
      return;
    }
    const manual = pauses.some(
      p =>
        !isRecord((p.step as JsonRecord).pause) ||
        ((p.step as JsonRecord).pause as JsonRecord).duration === undefined,
    );
    if (manual) return; // an indefinite pause waits for a promotion, which the soak gate checks
    const total = pauses.reduce(
      (sum, p) =>
        sum +
        (parseRolloutDuration(
          ((p.step as JsonRecord).pause as JsonRecord).duration,
        ) ?? 0),
      0,
    );
    if (total < minSeconds) {
      const last = pauses[pauses.length - 1];
      violations.push({
        stepIndex: last.index,
        message: `${describeStep(
          last.step,
          last.index,
        )} soaks ${formatRolloutDuration(
          total,
        )} at ${weight}%, shorter than the minimum of ${minimum} of policy "${policyName}"`,
      });
    }
  });
  return violations;
}
