import type { JsonValue } from '@backstage/types';
import type { ArgoCdInstanceConfig } from '../config/readArgoCdConfig';
import {
  callUpstream,
  upstreamOutcomeForStatus,
  UpstreamTransportError,
  upstreamErrorText,
  type UpstreamCallMetrics,
} from '../http/callUpstream';
import type { SecretRedactor } from '../redaction/secretRedactor';
import {
  ArgoCdError,
  errorKindForStatus,
  type ArgoCdErrorKind,
} from './ArgoCdError';
import { createTokenProvider, type TokenProvider } from './sessionToken';
import type { ArgoCdAppRef, ArgoCdResourceRef } from './types';

/** Query parameters of a call; undefined and empty values are left out. */
export type Query = Record<string, string | number | string[] | undefined>;

/** One Argo CD API call. */
export interface Call {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Query;
  body?: JsonValue;
}

export const enc = encodeURIComponent;

export const appPath = (app: { name: string }) =>
  `/api/v1/applications/${enc(app.name)}`;

export function appQuery(app: ArgoCdAppRef): Query {
  return { appNamespace: app.appNamespace, project: app.project };
}

export function resourceQuery(app: ArgoCdAppRef, r: ArgoCdResourceRef): Query {
  return {
    ...appQuery(app),
    namespace: r.namespace,
    resourceName: r.name,
    version: r.version,
    group: r.group,
    kind: r.kind,
  };
}

export function buildUrl(base: string, path: string, query: Query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      params.append(key, String(v));
    }
  }
  const qs = params.toString();
  return `${base}${path}${qs ? `?${qs}` : ''}`;
}

/** The route template of a path: app names would explode cardinality. */
function routeOf(call: Call): string {
  return `${call.method} ${call.path
    .replace(
      /^\/api\/v1\/stream\/applications\/[^/]+/,
      '/api/v1/stream/applications/{name}',
    )
    .replace(/^\/api\/v1\/applications\/[^/]+/, '/api/v1/applications/{name}')
    .replace(/^\/api\/v1\/projects\/[^/]+/, '/api/v1/projects/{name}')
    .replace(/\/revisions\/[^/]+\//, '/revisions/{revision}/')}`;
}

/** Sends calls to the configured instances with their credentials. */
export interface ArgoCdTransport {
  instanceConfig(name: string): ArgoCdInstanceConfig;
  /** The parsed JSON answer (`{}` for an empty body), or an ArgoCdError. */
  send(
    instance: string,
    call: Call,
    options?: { signal?: AbortSignal },
  ): Promise<JsonValue>;
  fail(
    instance: string,
    kind: ArgoCdErrorKind,
    message: string,
    status?: number,
  ): ArgoCdError;
  /**
   * Opens a streaming GET (Argo CD's watch endpoints): the response once
   * its headers arrived within the timeout, its body unread and open until
   * `signal` aborts; a refused session is renewed once, any other answer
   * than 2xx is an ArgoCdError.
   */
  openStream(
    instance: string,
    call: Call,
    signal: AbortSignal,
  ): Promise<Response>;
}

/**
 * The transport of the Argo CD client: the instances' tokens (static, or a
 * session token obtained by login and renewed once when a call is refused),
 * the upstream HTTP helper (timeout, redaction, metrics) and the mapping of
 * every failure to an ArgoCdError.
 */
export function createArgoCdTransport(options: {
  instances: ArgoCdInstanceConfig[];
  timeoutMs: number;
  redactor: SecretRedactor;
  metrics?: UpstreamCallMetrics;
}): ArgoCdTransport {
  const { timeoutMs, redactor, metrics } = options;
  const instances = new Map(options.instances.map(i => [i.name, i]));
  const tokens = new Map<string, TokenProvider>(
    options.instances.map(i => [
      i.name,
      createTokenProvider(i, { timeoutMs, redactor, metrics }),
    ]),
  );

  const instanceConfig = (name: string): ArgoCdInstanceConfig => {
    const config = instances.get(name);
    if (!config) {
      throw new ArgoCdError({
        instance: name,
        kind: 'unknown-instance',
        message: 'no such instance is configured',
      });
    }
    return config;
  };

  const fail = (
    instance: string,
    kind: ArgoCdErrorKind,
    message: string,
    status?: number,
  ) =>
    new ArgoCdError({
      instance,
      kind,
      status,
      message: redactor.redact(message),
    });

  async function send(
    instance: string,
    call: Call,
    sendOptions: { signal?: AbortSignal } = {},
    retried = false,
  ): Promise<JsonValue> {
    const config = instanceConfig(instance);
    const tokenProvider = tokens.get(instance)!;
    const token = await tokenProvider.getToken();
    const what = `${call.method} ${call.path}`;
    let response;
    try {
      response = await callUpstream({
        what,
        url: buildUrl(config.url, call.path, call.query),
        method: call.method,
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${token}`,
          ...(call.body !== undefined
            ? { 'Content-Type': 'application/json' }
            : {}),
        },
        // always JSON, also a bare string (the v1 action body is "resume")
        body: call.body !== undefined ? JSON.stringify(call.body) : undefined,
        timeoutMs,
        signal: sendOptions.signal,
        redactor,
        metrics,
        route: routeOf(call),
        instance,
      });
    } catch (error) {
      if (!(error instanceof UpstreamTransportError)) throw error;
      throw fail(instance, error.kind, error.message);
    }
    if (response.status === 401 && tokenProvider.renewable && !retried) {
      // The session expired or was revoked: log in again once.
      tokenProvider.invalidate();
      return send(instance, call, sendOptions, true);
    }
    if (!response.ok) {
      const detail = upstreamErrorText(response.text, redactor);
      throw fail(
        instance,
        errorKindForStatus(response.status),
        `${what} answered HTTP ${response.status}${
          detail ? `: ${detail}` : ''
        }`,
        response.status,
      );
    }
    if (response.text.trim() === '') return {};
    try {
      return JSON.parse(response.text) as JsonValue;
    } catch {
      throw fail(
        instance,
        'malformed-response',
        `${what}: the response is not valid JSON`,
        response.status,
      );
    }
  }

  async function openStream(
    instance: string,
    call: Call,
    signal: AbortSignal,
    retried = false,
  ): Promise<Response> {
    const config = instanceConfig(instance);
    const tokenProvider = tokens.get(instance)!;
    // a login that hangs must not hold a stopping watch (or the backend's
    // shutdown) until its timeout: the stream's signal ends the wait
    const token = await untilAborted(tokenProvider.getToken(), signal);
    const what = `${call.method} ${call.path}`;
    const started = Date.now();
    // the timeout covers the answer's headers only: the body stays open
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const forward = () => controller.abort();
    if (signal.aborted) controller.abort();
    signal.addEventListener('abort', forward, { once: true });
    let outcome = 'ok';
    let response: Response;
    try {
      response = await fetch(buildUrl(config.url, call.path, call.query), {
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${token}`,
        },
        signal: controller.signal,
      });
    } catch (error) {
      signal.removeEventListener('abort', forward);
      outcome = timedOut ? 'timeout' : 'unreachable';
      metrics?.record(
        { route: routeOf(call), outcome, instance },
        Date.now() - started,
      );
      throw fail(
        instance,
        timedOut ? 'timeout' : 'unreachable',
        timedOut
          ? `${what}: no answer within ${timeoutMs} ms`
          : `${what} could not be reached: ${
              signal.aborted
                ? 'aborted'
                : String((error as Error)?.message ?? error)
            }`,
      );
    } finally {
      clearTimeout(timer);
    }
    outcome = upstreamOutcomeForStatus(response.status);
    metrics?.record(
      { route: routeOf(call), outcome, instance },
      Date.now() - started,
    );
    if (response.status === 401 && tokenProvider.renewable && !retried) {
      await response.body?.cancel().catch(() => {});
      tokenProvider.invalidate();
      return openStream(instance, call, signal, true);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      const detail = upstreamErrorText(text, redactor);
      throw fail(
        instance,
        errorKindForStatus(response.status),
        `${what} answered HTTP ${response.status}${
          detail ? `: ${detail}` : ''
        }`,
        response.status,
      );
    }
    return response;
  }

  return { instanceConfig, send, fail, openStream };
}

/**
 * `promise`, or a rejection as soon as `signal` aborts (the promise itself
 * goes on; its outcome is then ignored).
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason ?? new Error('aborted'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      value => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      error => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
