import type { BundleResults } from './bundle';
import { fleetMarkdown, fleetTargets, type FleetBenchResults } from './fleet';
import type { ChromiumRenderResults } from './chromiumRender';
import {
  liveScreenMarkdown,
  liveScreenTargets,
  type LiveScreenResults,
} from './liveScreen';
import type { LatencyResults } from './latency';
import type { RenderResults } from './render';
import type { UpstreamLoadResults } from './upstreamLoad';
import {
  streamLatencyLines,
  streamLatencyTargets,
  streamLines,
  streamTargets,
} from './streamReport';

/** One target of the benchmark issue and where this run stands. */
export interface TargetResult {
  target: string;
  measured: string;
  pass: boolean | null;
}

/** Everything one run of `yarn bench` measured. */
export interface BenchResults {
  startedAt: string;
  wallSeconds: number;
  machine: {
    cpus: number;
    loadAverageAtStart: number[];
    loadAverageAtEnd?: number[];
    node: string;
  };
  sandbox: {
    argocdLatencyMs: number;
    prometheusLatencyMs: number;
    jitter: number;
  };
  latency?: LatencyResults;
  upstreamLoad?: UpstreamLoadResults;
  memory?: {
    deliveryRssMiBAfterLoad?: number;
    communityRssMiBAfterLoad?: number;
    note: string;
  };
  bundle?: BundleResults;
  render?: RenderResults;
  chromiumRender?: ChromiumRenderResults;
  /** Change in the sandbox to change on screen (issue 21). */
  liveScreen?: LiveScreenResults;
  fleet?: FleetBenchResults;
  errors: Record<string, string>;
  targets: TargetResult[];
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

const loads = (l?: number[]) => (l ?? []).map(n => n.toFixed(1)).join(' / ');

/** A latency, or a dash when no request completed within the run. */
const ms = (value: number | null) =>
  value === null || Number.isNaN(value) ? '—' : String(value);

/** Evaluates the issue's targets against the measurements. */
export function evaluateTargets(r: BenchResults): TargetResult[] {
  const targets: TargetResult[] = [];
  const missing = (target: string, part: string) =>
    targets.push({
      target,
      measured: `not measured (${r.errors[part] ?? 'skipped'})`,
      pass: null,
    });

  const lat = r.latency;
  const coldTarget =
    'cold p99(overview) ≤ 1.2 × p99(slowest upstream call), 1 user';
  const warmTarget = 'warm p99(overview) ≤ 10 ms';
  if (lat) {
    const floor = lat.floor.slowest.p99;
    for (const run of lat.runs.filter(
      x => x.cache === 'cold' && x.connections === 1,
    )) {
      const ratio = run.p99 / floor;
      targets.push({
        target: `${coldTarget}, ${run.target}`,
        measured: `${run.p99} ms / ${floor} ms = ${ratio.toFixed(2)}×`,
        pass: ratio <= 1.2,
      });
    }
    for (const run of lat.runs.filter(x => x.cache === 'warm')) {
      targets.push({
        target: `${warmTarget}, ${run.target}, ${run.connections} users`,
        measured:
          run.count > 0
            ? `${run.p99} ms`
            : `no request completed in ${run.durationSeconds} s`,
        pass: run.count > 0 && run.p99 <= 10,
      });
    }
    targets.push(...streamLatencyTargets(lat));
  } else {
    missing(coldTarget, 'latency');
    missing(warmTarget, 'latency');
  }

  const load = r.upstreamLoad;
  const perTtl = 'one upstream call per resource per cache TTL, 20 viewers';
  const fewer = '≥ 20× fewer upstream calls than the community backend';
  if (load) {
    targets.push({
      target: perTtl,
      measured: `${load.delivery.liveCallsPerResourcePerTtl} live Argo CD calls per resource per TTL`,
      // the first and last TTL windows of the run may be partly covered
      pass: load.delivery.liveCallsPerResourcePerTtl <= 1.05,
    });
    targets.push({
      target: fewer,
      measured: `${load.community.polling.callsPerMinute} vs ${load.delivery.polling.callsPerMinute} calls/min = ${load.ratio}×`,
      pass: load.ratio >= 20,
    });
    targets.push(...streamTargets(load));
  } else {
    missing(perTtl, 'upstreamLoad');
    missing(fewer, 'upstreamLoad');
  }

  const bundleTarget = '≤ 150 KB gzip added to the app bundle';
  if (r.bundle) {
    targets.push({
      target: bundleTarget,
      measured: kib(r.bundle.addedGzipBytes),
      pass: r.bundle.addedGzipBytes <= 150 * 1024,
    });
  } else missing(bundleTarget, 'bundle');

  // the targets are measured in Chromium; jsdom's figure is a trend only
  const chromium = r.chromiumRender;
  const firstTarget =
    '≤ 100 ms scripting: first render of the large view in Chromium (production build, median of 20)';
  const switchTarget =
    '≤ 50 ms: environment switch in Chromium (scripting, median of 20)';
  const expandTarget =
    '≤ 50 ms: audit row expand in Chromium (scripting, median of 20)';
  if (chromium) {
    const timing = (t: { wallMs: number; scriptingMs: number }) =>
      `${t.scriptingMs} ms scripting (${t.wallMs} ms wall)`;
    targets.push(
      {
        target: firstTarget,
        measured: timing(chromium.firstRender),
        pass: chromium.firstRender.scriptingMs <= 100,
      },
      {
        target: switchTarget,
        measured: timing(chromium.environmentSwitch),
        pass: chromium.environmentSwitch.scriptingMs <= 50,
      },
      {
        target: expandTarget,
        measured: timing(chromium.auditRowExpand),
        pass: chromium.auditRowExpand.scriptingMs <= 50,
      },
    );
  } else {
    missing(firstTarget, 'chromiumRender');
    missing(switchTarget, 'chromiumRender');
    missing(expandTarget, 'chromiumRender');
  }
  targets.push(...liveScreenTargets(r.liveScreen, r.errors.liveScreen));
  targets.push(...fleetTargets(r.fleet));
  return targets;
}

function flag(pass: boolean | null): string {
  if (pass === null) return '—';
  return pass ? 'pass' : 'miss';
}

/** The short Markdown report (bench/results/latest.md). */
export function toMarkdown(r: BenchResults): string {
  const lines: string[] = [];
  lines.push(`# Benchmarks — ${r.startedAt}`, '');
  lines.push(
    `\`yarn workspace bench all\` took ${Math.round(r.wallSeconds)} s on ${
      r.machine.cpus
    } CPUs (1/5/15-min load average ${loads(
      r.machine.loadAverageAtStart,
    )} at the start, ${loads(r.machine.loadAverageAtEnd)} at the end), Node ${
      r.machine.node
    }. Sandbox latency: Argo CD ${r.sandbox.argocdLatencyMs} ms, Prometheus ${
      r.sandbox.prometheusLatencyMs
    } ms, jitter ±${r.sandbox.jitter * 100}%.`,
    '',
    '## Targets',
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    ...r.targets.map(t => `| ${t.target} | ${t.measured} | ${flag(t.pass)} |`),
    '',
  );
  if (r.latency) {
    const l = r.latency;
    lines.push(
      '## Overview latency (`GET /api/delivery/v1/entities/default/component/checkout/overview`; 50 entities: bench-00…49)',
      '',
      `${l.settings.durationSeconds} s per run. Cold: ${l.settings.coldCache}. Warm: ${l.settings.warmCache}.`,
      '',
      'A dash: no request completed within the run.',
      '',
      '| cache | entities | users | p50 ms | p95 ms | p99 ms | req/s | errors | upstream calls (Argo CD) |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...l.runs.map(
        x =>
          `| ${x.cache} | ${x.target} | ${x.connections} | ${ms(x.p50)} | ${ms(
            x.p95,
          )} | ${ms(x.p99)} | ${x.reqPerSec} | ${x.errors} | ${
            x.upstreamCalls
          }${x.argocdCalls === undefined ? '' : ` (${x.argocdCalls})`} |`,
      ),
      '',
      `Latency floor (each upstream call of the view, directly against the sandbox): slowest is ${
        l.floor.slowest.call
      }, p99 ${l.floor.slowest.p99} ms (${l.floor.calls
        .map(c => `${c.call} ${c.p99}`)
        .join(
          '; ',
        )}). First request on a fresh backend: ${l.firstRequestMs.toFixed(
        0,
      )} ms. First view of 50 entities on a fresh cache (${
        l.firstViewOf50Entities.connections
      } at a time): p50 ${l.firstViewOf50Entities.p50} ms, p99 ${
        l.firstViewOf50Entities.p99
      } ms.`,
      '',
      ...streamLatencyLines(l),
    );
  }
  if (r.upstreamLoad) {
    const u = r.upstreamLoad;
    const s = u.settings;
    lines.push(
      `## Upstream load (${s.viewers} viewers polling every ${s.pollSecondsSimulated} s for ${s.minutesSimulated} min, time-scaled ×${s.timeScale}: every ${s.pollSecondsActual} s for ${s.secondsActual} s; Delivery cache TTL ${s.deliveryTtlSecondsSimulated} s → ${s.deliveryTtlSecondsActual} s)`,
      '',
      '| backend | calls, first view | calls, repeat right after | viewer requests | upstream calls | calls/min | Argo CD calls/min |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...[u.delivery, u.community].map(
        b =>
          `| ${b.backend} | ${b.perView.first.total} | ${
            b.perView.poll.total
          } | ${b.polling.viewerRequests} (${
            b.polling.failedViewerRequests
          } failed) | ${b.polling.stats.total} | ${
            b.polling.callsPerMinute
          } | ${b.polling.argocdCallsPerMinute ?? '—'} |`,
      ),
      '',
      `Ratio community / delivery: ${u.ratio}×${
        u.argocdRatio === undefined
          ? ''
          : ` (Argo CD calls only: ${u.argocdRatio}×)`
      }. The community frontend's view asks only for the Applications (and revision metadata once per tab), one call per viewer per poll; its backend has no route for resource trees or live Rollouts, so it cannot serve the equivalent data. Delivery's overview reads, once per TTL whatever the number of viewers, the Applications, the resource tree of each one that manages a Rollout, the live Rollout, its actions, AnalysisRuns and scan reports (Argo CD), and the SLO queries (Prometheus, cached 15 s, not time-scaled), CI runs and scanners. With TTL = poll interval the ratio is at most viewers × (community calls per poll) / (Delivery calls per refresh), so ≥ 20× with 20 viewers would need about one upstream call per refresh.`,
      '',
      ...streamLines(u),
    );
  }
  if (r.memory) {
    lines.push(
      `## Memory`,
      '',
      `RSS after the upstream load: Delivery backend ${
        r.memory.deliveryRssMiBAfterLoad ?? '—'
      } MiB, community backend ${
        r.memory.communityRssMiBAfterLoad ?? '—'
      } MiB (${r.memory.note}).`,
      '',
    );
  }
  if (r.bundle || r.render || r.chromiumRender) {
    lines.push('## Frontend', '');
    if (r.bundle) {
      lines.push(
        `Bundle: app with Delivery ${kib(
          r.bundle.withPlugin.gzipBytes,
        )} gzip, without ${kib(
          r.bundle.withoutPlugin.gzipBytes,
        )} → the plugin adds ${kib(r.bundle.addedGzipBytes)} gzip (${kib(
          r.bundle.addedRawBytes,
        )} minified).`,
      );
    }
    if (r.chromiumRender) {
      const c = r.chromiumRender;
      lines.push(
        `Render in Chromium (${c.view}; ${c.browser}; ${c.build}; median of ${c.runs} after a warm-up; scripting from Chrome's ScriptDuration, wall from the Performance API): first render ${c.firstRender.scriptingMs} ms scripting (${c.firstRender.wallMs} ms wall), environment switch ${c.environmentSwitch.scriptingMs} ms (${c.environmentSwitch.wallMs} ms), audit row expand ${c.auditRowExpand.scriptingMs} ms (${c.auditRowExpand.wallMs} ms).`,
      );
    }
    if (r.render) {
      lines.push(
        `Render in jsdom, a trend only (not a browser; ${r.render.view}, median of ${r.render.renders}, React development build): ${r.render.medianProfilerMs} ms in the Profiler, ${r.render.medianWallMs} ms wall from render() to the full view.`,
      );
    }
    lines.push('');
  }
  if (r.liveScreen) lines.push(...liveScreenMarkdown(r.liveScreen));
  if (r.fleet) lines.push(...fleetMarkdown(r.fleet));
  const errors = Object.entries(r.errors);
  if (errors.length > 0) {
    lines.push('## Errors', '', ...errors.map(([k, v]) => `- ${k}: ${v}`), '');
  }
  return lines.join('\n');
}
