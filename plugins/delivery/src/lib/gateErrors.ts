import { ResponseError } from '@backstage/errors';
import type { GateResult } from '@gitops-delivery/backstage-plugin-delivery-common';

function isGateList(value: unknown): value is GateResult[] {
  return (
    Array.isArray(value) &&
    value.every(
      g =>
        g &&
        typeof g === 'object' &&
        typeof (g as GateResult).name === 'string' &&
        typeof (g as GateResult).outcome === 'string',
    )
  );
}

function gatesIn(value: unknown, depth = 0): GateResult[] | undefined {
  if (!value || typeof value !== 'object' || depth > 3) return undefined;
  const record = value as Record<string, unknown>;
  if (isGateList(record.gates)) return record.gates;
  for (const key of ['evaluation', 'cause', 'details', 'error']) {
    const found = gatesIn(record[key], depth + 1);
    if (found) return found;
  }
  if (Array.isArray(record.evaluations)) {
    const all = record.evaluations.flatMap(e => gatesIn(e, depth + 1) ?? []);
    if (all.length) return all;
  }
  return undefined;
}

/**
 * The gate results a 409 from the actions route carries in its error body;
 * the backend serialises the ConflictError's own fields, so they may sit on
 * the error itself, its evaluation or its cause.
 */
export function gatesFromError(error: unknown): GateResult[] | undefined {
  if (!(error instanceof ResponseError) || error.statusCode !== 409) {
    return undefined;
  }
  return gatesIn(error.body) ?? gatesIn(error.body.error);
}

/** The backend's own message of an error (a ResponseError's cause), else the error's. */
export function errorMessage(error: Error): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message || error.cause?.message || error.message;
  }
  return error.message;
}
