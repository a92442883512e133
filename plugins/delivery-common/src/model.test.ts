import { DORA_WINDOWS } from './dora';
import {
  ROLLOUT_ACTIONS,
  SECURITY_LAYERS,
  SEVERITIES,
  STAGE_NAMES,
} from './model';
import type {
  DoraWindowDays,
  RolloutActionName,
  SecurityLayer,
  Severity,
  StageName,
} from './schema/openapi/generated';

// A Record over the listed values: assigning it to a Record over the spec's
// enum does not compile when the spec has a value the array lacks.
function listed<T extends string | number>(values: readonly T[]) {
  return Object.fromEntries(values.map(v => [v, true])) as Record<T, true>;
}

describe('the arrays of the spec enums', () => {
  it('list every value of their enum in openapi.yaml, each once', () => {
    const stages: Record<StageName, true> = listed(STAGE_NAMES);
    const severities: Record<Severity, true> = listed(SEVERITIES);
    const actions: Record<RolloutActionName, true> = listed(ROLLOUT_ACTIONS);
    const layers: Record<SecurityLayer, true> = listed(SECURITY_LAYERS);
    const windows: Record<DoraWindowDays, true> = listed(DORA_WINDOWS);
    expect(Object.keys(stages)).toHaveLength(STAGE_NAMES.length);
    expect(Object.keys(severities)).toHaveLength(SEVERITIES.length);
    expect(Object.keys(actions)).toHaveLength(ROLLOUT_ACTIONS.length);
    expect(Object.keys(layers)).toHaveLength(SECURITY_LAYERS.length);
    expect(Object.keys(windows)).toHaveLength(DORA_WINDOWS.length);
  });

  it('keep the orders the views rely on', () => {
    expect(STAGE_NAMES[0]).toBe('commit');
    expect(STAGE_NAMES.at(-1)).toBe('production');
    expect(SEVERITIES[0]).toBe('CRITICAL');
    expect(DORA_WINDOWS).toEqual([7, 30, 90]);
  });
});
