/*
 * What Argo CD's managed-resources endpoint says a sync would make of a live
 * object (swagger v1alpha1ResourceDiff.predictedLiveState): the live object
 * with the Git-rendered target applied over it. Objects merge key by key;
 * lists and values come from the target; a key the target leaves
 * undefined is dropped (a field Git removes). So a field only the cluster
 * sets (status, uid) stays as it is, and only what Git sets differs from
 * normalizedLiveState: a drifted replica count, an image not yet rolled out.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The live object with the target applied over it. */
export function predictedLive(live: unknown, target: unknown): unknown {
  if (!isObject(live) || !isObject(target)) return target;
  const out: Json = { ...live };
  for (const [key, value] of Object.entries(target)) {
    if (value === undefined) delete out[key];
    else out[key] = predictedLive(live[key], value);
  }
  return out;
}
