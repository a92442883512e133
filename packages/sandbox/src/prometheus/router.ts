import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, sendText } from '../http';
import type { WorldState } from '../world/state';
import {
  evaluate,
  ExecutionError,
  TypeCheckError,
  type Value,
} from './evaluate';
import {
  formatAlertValue,
  formatSampleValue,
  parseDurationParam,
  parseTimeParam,
} from './format';
import { falcoSeries } from './falcoSeries';
import {
  ParseError,
  parsePromDuration,
  parsePromQL,
  type Expr,
} from './promql';
import { rolloutSeries, type SeriesSample } from './series';

/** Prometheus' error types and their HTTP status codes (web/api/v1/api.go). */
const ERROR_STATUS = {
  bad_data: 400,
  execution: 422,
  timeout: 503,
  canceled: 503,
  internal: 500,
  not_found: 404,
} as const;

class PromError extends Error {
  constructor(readonly errorType: keyof typeof ERROR_STATUS, message: string) {
    super(message);
  }
}

/** Every simulated series at a simulated instant (of `namespaces` only, when given). */
export function seriesAt(
  world: WorldState,
  simMs: number,
  namespaces?: ReadonlySet<string>,
): SeriesSample[] {
  return world.apps.flatMap(app => {
    const scenario = world.scenarios[app.service.name];
    return app.rollout &&
      scenario &&
      (!namespaces || namespaces.has(app.rollout.namespace))
      ? [
          ...rolloutSeries(app.rollout, scenario, simMs),
          // Falco's detections in the Rollout's Pods (the runtime layer)
          ...falcoSeries(world, app.rollout, simMs),
        ]
      : [];
  });
}

/** Parses and evaluates a query at a simulated instant. */
export function instantQuery(
  world: WorldState,
  query: string,
  simMs: number,
): Value {
  let expr;
  try {
    expr = parsePromQL(query);
  } catch (e) {
    if (e instanceof ParseError)
      throw new PromError(
        'bad_data',
        `invalid parameter "query": ${e.message}`,
      );
    throw e;
  }
  // only the series a selector can match are made: a range query
  // evaluates at each step, and every app's series cost hashing
  const namespaces = selectedNamespaces(expr);
  try {
    return evaluate(expr, seriesAt(world, simMs, namespaces), ms =>
      seriesAt(world, simMs - ms, namespaces),
    );
  } catch (e) {
    if (e instanceof TypeCheckError) {
      throw new PromError(
        'bad_data',
        `invalid parameter "query": 1:1: parse error: ${e.message}`,
      );
    }
    if (e instanceof ExecutionError)
      throw new PromError('execution', e.message);
    throw e;
  }
}

/**
 * The namespaces every selector of the query is pinned to by an equality
 * matcher (`namespace`, or Falco's `k8s_ns_name`); undefined when some
 * selector is not pinned so, and then every series is made. A series of
 * another namespace matches no selector, so the result is the same.
 */
export function selectedNamespaces(expr: Expr): Set<string> | undefined {
  const namespaces = new Set<string>();
  let pinned = true;
  const visit = (e: Expr): void => {
    switch (e.type) {
      case 'selector': {
        const m = e.matchers.find(
          x =>
            x.op === '=' &&
            (x.name === 'namespace' || x.name === 'k8s_ns_name'),
        );
        if (m) namespaces.add(m.value);
        else pinned = false;
        return;
      }
      case 'call':
        e.args.forEach(visit);
        return;
      case 'aggregate':
        if (e.param) visit(e.param);
        visit(e.expr);
        return;
      case 'binary':
        visit(e.lhs);
        visit(e.rhs);
        return;
      case 'negate':
        visit(e.expr);
        return;
      default:
        return;
    }
  };
  visit(expr);
  return pinned ? namespaces : undefined;
}

/** The float list a Rollouts Prometheus provider makes of a result. */
export function measureQuery(
  world: WorldState,
  query: string,
  simMs: number,
): number[] {
  const v = instantQuery(world, query, simMs);
  if (v.kind === 'scalar') return [v.value];
  if (v.kind === 'vector') return v.samples.map(s => s.value);
  throw new Error('unexpected range vector result');
}

async function params(
  req: IncomingMessage,
  url: URL,
): Promise<URLSearchParams> {
  const merged = new URLSearchParams(url.searchParams);
  if (req.method === 'POST') {
    const type = req.headers['content-type'] ?? '';
    const body = await readBody(req);
    if (type.includes('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(body)) merged.append(k, v);
    }
  }
  return merged;
}

function requireQuery(p: URLSearchParams): string {
  const query = p.get('query') ?? '';
  if (!query.trim()) {
    throw new PromError(
      'bad_data',
      'invalid parameter "query": 1:1: parse error: no expression found in input',
    );
  }
  return query;
}

function timeParam(p: URLSearchParams, name: string, fallback: number): number {
  const text = p.get(name);
  if (text === null || text === '') return fallback;
  const ms = parseTimeParam(text);
  if (ms === undefined) {
    throw new PromError(
      'bad_data',
      `invalid parameter "${name}": cannot parse "${text}" to a valid timestamp`,
    );
  }
  return ms;
}

function checkTimeout(p: URLSearchParams) {
  const text = p.get('timeout');
  if (!text) return;
  const ms = parseDurationParam(text, parsePromDuration);
  if (ms === undefined) {
    throw new PromError(
      'bad_data',
      `invalid parameter "timeout": cannot parse "${text}" to a valid duration`,
    );
  }
  // A real engine cannot answer within a millisecond either.
  if (ms < 1) throw new PromError('timeout', 'query timed out in query queue');
}

function resultOf(v: Value, wireSec: number) {
  if (v.kind === 'scalar') {
    return {
      resultType: 'scalar',
      result: [wireSec, formatSampleValue(v.value)],
    };
  }
  if (v.kind === 'vector') {
    return {
      resultType: 'vector',
      result: v.samples.map(s => ({
        metric: s.labels,
        value: [wireSec, formatSampleValue(s.value)],
      })),
    };
  }
  throw new PromError(
    'bad_data',
    'invalid parameter "query": the sandbox does not return range vectors; wrap the selector in rate()',
  );
}

function handleQuery(world: WorldState, p: URLSearchParams) {
  const query = requireQuery(p);
  checkTimeout(p);
  const clock = world.clock;
  const wireMs = timeParam(p, 'time', clock.toWire(clock.now()));
  const v = instantQuery(world, query, clock.fromWire(wireMs));
  return resultOf(v, Math.round(wireMs) / 1000);
}

function handleRange(world: WorldState, p: URLSearchParams) {
  const query = requireQuery(p);
  checkTimeout(p);
  const start = timeParam(p, 'start', NaN);
  const end = timeParam(p, 'end', NaN);
  if (Number.isNaN(start))
    throw new PromError(
      'bad_data',
      'invalid parameter "start": cannot parse "" to a valid timestamp',
    );
  if (Number.isNaN(end))
    throw new PromError(
      'bad_data',
      'invalid parameter "end": cannot parse "" to a valid timestamp',
    );
  if (end < start)
    throw new PromError(
      'bad_data',
      'invalid parameter "end": end timestamp must not be before start time',
    );
  const stepText = p.get('step') ?? '';
  const step = parseDurationParam(stepText, parsePromDuration);
  if (step === undefined) {
    throw new PromError(
      'bad_data',
      `invalid parameter "step": cannot parse "${stepText}" to a valid duration`,
    );
  }
  if (step <= 0) {
    throw new PromError(
      'bad_data',
      'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
  }
  if ((end - start) / step > 11000) {
    throw new PromError(
      'bad_data',
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  }
  const series = new Map<
    string,
    { metric: Record<string, string>; values: Array<[number, string]> }
  >();
  for (let t = start; t <= end; t += step) {
    const v = instantQuery(world, query, world.clock.fromWire(t));
    const samples: Array<{ labels: Record<string, string>; value: number }> =
      v.kind === 'scalar' ? [{ labels: {}, value: v.value }] : [];
    if (v.kind === 'vector') samples.push(...v.samples);
    for (const s of samples) {
      const key = JSON.stringify(Object.entries(s.labels).sort());
      const entry = series.get(key) ?? { metric: s.labels, values: [] };
      entry.values.push([Math.round(t) / 1000, formatSampleValue(s.value)]);
      series.set(key, entry);
    }
  }
  return { resultType: 'matrix', result: [...series.values()] };
}

function handleAlerts(world: WorldState) {
  const clock = world.clock;
  const now = clock.now();
  const alerts = [];
  for (const r of world.rollouts()) {
    const errors = measureQuery(
      world,
      `sum by (service, rollouts_pod_template_hash) (rate(http_requests_total{role="canary",service="${r.service}",code=~"5.."}[5m])) / sum by (service, rollouts_pod_template_hash) (rate(http_requests_total{role="canary",service="${r.service}"}[5m]))`,
      now,
    );
    const ratio = errors[0];
    if (ratio !== undefined && ratio > 0.01) {
      const since = [...r.traffic].reverse().find(p => p.at <= now)?.at ?? now;
      alerts.push({
        labels: {
          alertname: 'CanaryHighErrorRate',
          rollouts_pod_template_hash: r.canaryHash,
          service: r.service,
          severity: 'critical',
        },
        annotations: { summary: 'canary error ratio above 1%' },
        state: 'firing',
        activeAt: new Date(clock.toWire(since)).toISOString(),
        value: formatAlertValue(ratio),
      });
    }
  }
  return { alerts };
}

/** Serves the Prometheus HTTP API subset under /prometheus. */
export async function handlePrometheus(
  world: WorldState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  if (path === '/-/ready' || path === '/-/healthy') {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method Not Allowed\n');
      return;
    }
    sendText(
      res,
      200,
      `Prometheus Server is ${path === '/-/ready' ? 'Ready' : 'Healthy'}.\n`,
    );
    return;
  }
  const routes: Record<string, string[]> = {
    '/api/v1/query': ['GET', 'POST'],
    '/api/v1/query_range': ['GET', 'POST'],
    '/api/v1/alerts': ['GET'],
    '/api/v1/status/buildinfo': ['GET'],
  };
  const methods = routes[path];
  if (!methods) {
    sendText(res, 404, '404 page not found\n');
    return;
  }
  if (!methods.includes(req.method ?? '')) {
    sendText(res, 405, 'Method Not Allowed\n');
    return;
  }
  try {
    world.tick();
    const url = new URL(req.url ?? '/', 'http://sandbox');
    let data: unknown;
    if (path === '/api/v1/alerts') data = handleAlerts(world);
    else if (path === '/api/v1/status/buildinfo') {
      data = {
        version: '2.42.0+ds',
        revision: 'sandbox',
        branch: 'debian/sid',
        buildUser: 'sandbox',
        buildDate: '20230301-00:00:00',
        goVersion: 'go1.19.8',
      };
    } else {
      const p = await params(req, url);
      data =
        path === '/api/v1/query'
          ? handleQuery(world, p)
          : handleRange(world, p);
    }
    sendJson(res, 200, { status: 'success', data });
  } catch (e) {
    if (e instanceof PromError) {
      sendJson(res, ERROR_STATUS[e.errorType], {
        status: 'error',
        errorType: e.errorType,
        error: e.message,
      });
      return;
    }
    sendJson(res, 500, {
      status: 'error',
      errorType: 'internal',
      error: (e as Error).message,
    });
  }
}
