import {
  SECURITY_LAYERS,
  SEVERITIES,
  type SecurityLayer,
  type SecurityLayerState,
  type SecurityLayerView,
  type SeverityCounts,
  type SourceStatus,
  type VulnerabilityFinding,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { newInCanary } from './findingsDelta';
import {
  addCounts,
  emptyCounts,
  severityCounts,
  sortFindings,
} from './severity';

/** What the scanners of one layer said about one side of a rollout. */
export interface SideLayer {
  sources: SourceStatus[];
  findings: VulnerabilityFinding[];
  /** At least one scanner had a report (possibly with no findings). */
  reported: boolean;
  links: Array<{ title: string; url: string }>;
}

/** An empty side layer, for collecting a layer's scanners into. */
export function emptySideLayer(): SideLayer {
  return { sources: [], findings: [], reported: false, links: [] };
}

/** One status per source over several sides: an error anywhere wins, else ok. */
export function mergeSourceStatuses(
  lists: SourceStatus[][],
  registered: string[],
): SourceStatus[] {
  const all = lists.flat();
  const names = [...new Set([...registered, ...all.map(s => s.source)])];
  const result: SourceStatus[] = [];
  for (const source of names) {
    const statuses = all.filter(s => s.source === source);
    const error = statuses.find(s => s.status === 'error');
    const ok = statuses.find(s => s.status === 'ok');
    if (error) result.push(error);
    else if (ok) result.push(ok);
    else if (statuses.length > 0) result.push(statuses[0]);
  }
  return result;
}

function errorMessage(sources: SourceStatus[]): string | undefined {
  const failed = sources.filter(s => s.status === 'error');
  if (failed.length === 0) return undefined;
  return failed.map(s => `${s.source}: ${s.message ?? 'failed'}`).join('; ');
}

/**
 * The view of one layer of one rollout. `registered`: ids of the scanners
 * of this layer; with none, the layer's source is missing (unknown).
 */
export function layerView(
  layer: SecurityLayer,
  registered: string[],
  canary: SideLayer | undefined,
  stable: SideLayer | undefined,
): SecurityLayerView {
  const primary = canary ?? stable;
  const sources = mergeSourceStatuses(
    [canary?.sources ?? [], stable?.sources ?? []],
    registered,
  );
  const findings = sortFindings(primary?.findings ?? []);
  const fresh =
    canary && stable
      ? newInCanary(canary.findings, stable.findings)
      : canary?.findings ?? [];
  const links = [
    ...new Map(
      [...(canary?.links ?? []), ...(stable?.links ?? [])].map(l => [l.url, l]),
    ).values(),
  ];
  let state: SecurityLayerState;
  let message: string | undefined;
  const failed = errorMessage(sources);
  if (registered.length === 0) {
    state = 'unknown';
    message = `No ${layer} source is configured`;
  } else if (findings.length > 0) {
    // what was found stands even when another source of the layer failed
    state = 'findings';
    message = failed;
  } else if (failed) {
    state = 'source-error';
    message = failed;
  } else if (primary?.reported) {
    state = 'clean';
  } else {
    state = 'unknown';
    const said = sources
      .filter(s => s.message)
      .map(s => `${s.source}: ${s.message}`);
    if (said.length > 0) message = said.join('; ');
    else if (primary) message = `No ${layer} source had a report`;
    else message = 'Nothing is deployed to scan';
  }
  return {
    layer,
    state,
    ...(message ? { message } : {}),
    sources,
    counts: severityCounts(findings),
    ...(canary && stable
      ? { stableCounts: severityCounts(stable.findings) }
      : {}),
    newInCanaryCounts: severityCounts(fresh),
    findings,
    newInCanary: sortFindings(fresh),
    links,
  };
}

/** Which state of a layer wins when several rollouts are shown as one. */
const STATE_RANK: Record<SecurityLayerState, number> = {
  'source-error': 3,
  findings: 2,
  unknown: 1,
  clean: 0,
};

function sum(
  views: SecurityLayerView[],
  pick: (v: SecurityLayerView) => SeverityCounts | undefined,
): SeverityCounts | undefined {
  const present = views.map(pick).filter((c): c is SeverityCounts => !!c);
  if (present.length === 0) return undefined;
  return present.reduce(addCounts, emptyCounts());
}

/** The layers of an environment: its rollouts' layers, summed. */
export function mergeLayerViews(
  perRollout: SecurityLayerView[][],
  registeredByLayer: Record<SecurityLayer, string[]>,
): SecurityLayerView[] {
  return SECURITY_LAYERS.map(layer => {
    const views = perRollout.flatMap(r => r.filter(v => v.layer === layer));
    if (views.length === 0) {
      return layerView(layer, registeredByLayer[layer], undefined, undefined);
    }
    if (views.length === 1) return views[0];
    const worst = [...views].sort(
      (a, b) => STATE_RANK[b.state] - STATE_RANK[a.state],
    )[0];
    const messages = [
      ...new Set(views.flatMap(v => (v.message ? [v.message] : []))),
    ];
    const stableCounts = sum(views, v => v.stableCounts);
    return {
      layer,
      state: worst.state,
      ...(messages.length > 0 ? { message: messages.join('; ') } : {}),
      sources: mergeSourceStatuses(
        views.map(v => v.sources),
        registeredByLayer[layer],
      ),
      counts: sum(views, v => v.counts)!,
      ...(stableCounts ? { stableCounts } : {}),
      newInCanaryCounts: sum(views, v => v.newInCanaryCounts)!,
      findings: sortFindings(views.flatMap(v => v.findings)),
      newInCanary: sortFindings(views.flatMap(v => v.newInCanary)),
      links: [
        ...new Map(views.flatMap(v => v.links).map(l => [l.url, l])).values(),
      ],
    };
  });
}

/** How bad a layer looks on the overview: findings by severity, then errors. */
function badness(view: SecurityLayerView): number {
  if (view.state !== 'findings') return STATE_RANK[view.state];
  const i = SEVERITIES.findIndex(s => view.counts[s] > 0);
  return 10 + (i < 0 ? 0 : SEVERITIES.length - i);
}

/**
 * The worst layer of an environment, for the overview card: the layer with
 * findings of the highest severity, else one whose source failed, else an
 * unknown one, else a clean one. Layers with no configured source are left
 * out; undefined when no layer has one.
 */
export function worstLayer(
  layers: SecurityLayerView[],
): SecurityLayerView | undefined {
  const configured = layers.filter(v =>
    v.sources.some(s => s.status !== 'not-configured'),
  );
  return [...configured].sort((a, b) => badness(b) - badness(a))[0];
}
