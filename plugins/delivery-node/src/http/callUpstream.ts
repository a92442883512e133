import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { SecretRedactor } from '../redaction/secretRedactor';

/**
 * Why an upstream call failed, or `ok`: the transport's own kinds
 * (`timeout`, `unreachable`) and the kinds of an HTTP status.
 *
 * @public
 */
export type UpstreamOutcome =
  | 'ok'
  | 'timeout'
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'bad-request'
  | 'upstream-error';

/** The outcome of an HTTP status. @public */
export function upstreamOutcomeForStatus(status: number): UpstreamOutcome {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status >= 400 && status < 500) return 'bad-request';
  return 'upstream-error';
}

/**
 * The `@backstage/errors` error of an outcome: what a backend route or a
 * scaffolder action throws so that Backstage answers the right status.
 *
 * @public
 */
export function toBackstageError(
  outcome: UpstreamOutcome | string,
  message: string,
): Error {
  switch (outcome) {
    case 'bad-request':
      return new InputError(message);
    case 'unauthorized':
      return new AuthenticationError(message);
    case 'forbidden':
      return new NotAllowedError(message);
    case 'not-found':
      return new NotFoundError(message);
    case 'conflict':
      return new ConflictError(message);
    default:
      return new ServiceUnavailableError(message);
  }
}

/**
 * An upstream could not be asked or did not answer: no answer within the
 * timeout, or no connection. A `ServiceUnavailableError` (503) for routes;
 * the message names the upstream and never a credential.
 *
 * @public
 */
export class UpstreamTransportError extends ServiceUnavailableError {
  readonly kind: 'timeout' | 'unreachable';
  /** The cause in its own words (redacted), e.g. `fetch failed`. */
  readonly detail: string;

  constructor(
    kind: 'timeout' | 'unreachable',
    message: string,
    detail: string = '',
  ) {
    super(message);
    this.kind = kind;
    this.detail = detail;
  }
}

/**
 * Counts and times upstream calls: `delivery.<upstream>.calls` and
 * `delivery.<upstream>.call.duration`, by route template, outcome and
 * (when given) instance.
 *
 * @public
 */
export interface UpstreamCallMetrics {
  record(
    attributes: { route: string; outcome: string; instance?: string },
    durationMs: number,
  ): void;
}

/** Creates the call metrics of one upstream (e.g. `argocd`). @public */
export function createUpstreamCallMetrics(
  metrics: MetricsService | undefined,
  upstream: string,
): UpstreamCallMetrics | undefined {
  if (!metrics) return undefined;
  const counter = metrics.createCounter(`delivery.${upstream}.calls`, {
    description: `Calls to ${upstream}, by route and outcome`,
  });
  const duration = metrics.createHistogram(
    `delivery.${upstream}.call.duration`,
    { description: `Duration of calls to ${upstream}`, unit: 'ms' },
  );
  return {
    record(attributes, durationMs) {
      counter.add(1, attributes);
      duration.record(durationMs, attributes);
    },
  };
}

/** One request to an upstream. @public */
export interface UpstreamRequest {
  /** Names the upstream in error messages, e.g. `GitHub`. */
  what: string;
  url: string | URL;
  method?: string;
  headers?: Record<string, string>;
  /** A text body as is, or any other value as JSON (with its Content-Type). */
  body?: unknown;
  timeoutMs: number;
  /** Aborts with the caller (e.g. a scaffolder task), besides the timeout. */
  signal?: AbortSignal;
  /** Learns nothing; redacts the transport's error texts. */
  redactor?: SecretRedactor;
  fetch?: typeof fetch;
  metrics?: UpstreamCallMetrics;
  /** Route template for the metrics (never a raw path: cardinality). */
  route?: string;
  instance?: string;
}

/** A received response, its body read completely. @public */
export interface UpstreamResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  text: string;
}

const aborted = (error: unknown) => {
  const name = (error as Error)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
};

/**
 * Calls an upstream once: the timeout covers the answer and its body; a
 * transport failure is an {@link UpstreamTransportError} whose text is
 * redacted; every call is counted with its outcome. The caller maps the
 * status (see {@link upstreamOutcomeForStatus}, {@link toBackstageError}).
 *
 * @public
 */
export async function callUpstream(
  request: UpstreamRequest,
): Promise<UpstreamResponse> {
  const started = Date.now();
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal
    ? AbortSignal.any([request.signal, timeout])
    : timeout;
  const json = request.body !== undefined && typeof request.body !== 'string';
  let outcome: string = 'ok';
  try {
    let response: Response;
    try {
      response = await (request.fetch ?? fetch)(request.url, {
        method: request.method ?? 'GET',
        headers: {
          ...request.headers,
          ...(json ? { 'Content-Type': 'application/json' } : {}),
        },
        body: json ? JSON.stringify(request.body) : (request.body as string),
        signal,
      });
    } catch (error) {
      throw transportError(request, error, false);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw transportError(request, error, true);
    }
    outcome = upstreamOutcomeForStatus(response.status);
    return {
      status: response.status,
      ok: response.ok,
      headers: response.headers,
      text,
    };
  } catch (error) {
    outcome = (error as UpstreamTransportError).kind ?? 'unreachable';
    throw error;
  } finally {
    request.metrics?.record(
      {
        route: request.route ?? `${request.method ?? 'GET'}`,
        outcome,
        ...(request.instance ? { instance: request.instance } : {}),
      },
      Date.now() - started,
    );
  }
}

/**
 * {@link callUpstream}, answered as a fetch `Response` whose body has been
 * read already (within the timeout), for clients written against fetch.
 *
 * @public
 */
export async function fetchUpstream(
  request: UpstreamRequest,
): Promise<Response> {
  const answer = await callUpstream(request);
  const noBody = [101, 204, 205, 304].includes(answer.status);
  return new Response(noBody ? null : answer.text, {
    status: answer.status,
    headers: answer.headers,
  });
}

function transportError(
  request: UpstreamRequest,
  error: unknown,
  midBody: boolean,
): UpstreamTransportError {
  if (aborted(error)) {
    return new UpstreamTransportError(
      'timeout',
      midBody
        ? `${request.what}: the response was not received completely within ${request.timeoutMs} ms`
        : `${request.what}: no answer within ${request.timeoutMs} ms`,
    );
  }
  const code = (error as { cause?: { code?: string } })?.cause?.code;
  const detail = String((error as Error)?.message ?? error);
  const said = request.redactor ? request.redactor.redact(detail) : detail;
  return new UpstreamTransportError(
    'unreachable',
    `${request.what} could not be reached${code ? ` (${code})` : ''}: ${said}`,
    said,
  );
}

/**
 * The upstream's own error text from a JSON error body (`message`, `error`
 * or `errors[0].detail`), redacted before it is cut to `max` characters so
 * that no part of a secret is left; empty when there is none.
 *
 * @public
 */
export function upstreamErrorText(
  text: string,
  redactor: SecretRedactor,
  max = 300,
): string {
  try {
    const body = JSON.parse(text);
    const said =
      body?.message ?? body?.error ?? body?.errors?.[0]?.detail ?? undefined;
    return typeof said === 'string' ? redactor.redact(said).slice(0, max) : '';
  } catch {
    return '';
  }
}
