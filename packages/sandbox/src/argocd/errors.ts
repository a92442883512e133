import type { ServerResponse } from 'node:http';
import { sendJson } from '../http';

/** gRPC codes Argo CD uses, with the HTTP status grpc-gateway maps them to. */
export const GRPC_HTTP: Record<number, number> = {
  2: 500,
  3: 400,
  5: 404,
  7: 403,
  9: 400,
  14: 503,
  16: 401,
};

/** An Argo CD API error: a gRPC code and message. */
export class ArgoError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** Writes Argo CD's error body (swagger `runtimeError`). */
export function sendArgoError(res: ServerResponse, e: ArgoError) {
  sendJson(res, GRPC_HTTP[e.code] ?? 500, {
    error: e.message,
    code: e.code,
    message: e.message,
  });
}

/** The 403 Argo CD gives for a missing or forbidden application. */
export const permissionDenied = () => new ArgoError(7, 'permission denied');

/** The 404 Argo CD gives for a missing application when `project` was sent. */
export const appNotFound = (name: string) =>
  new ArgoError(5, `applications.argoproj.io "${name}" not found`);
