/** Counts of upstream calls the sandbox received, per upstream and route. */
export class CallStats {
  private since = new Date().toISOString();
  private counts = new Map<string, Map<string, number>>();

  /** Records one call. */
  record(upstream: string, route: string) {
    const routes = this.counts.get(upstream) ?? new Map<string, number>();
    routes.set(route, (routes.get(route) ?? 0) + 1);
    this.counts.set(upstream, routes);
  }

  /** Clears the counters. */
  reset() {
    this.counts.clear();
    this.since = new Date().toISOString();
  }

  /** The counters as JSON. */
  toJSON() {
    const upstreams: Record<
      string,
      { total: number; routes: Record<string, number> }
    > = {};
    let total = 0;
    for (const [upstream, routes] of this.counts) {
      const sum = [...routes.values()].reduce((a, b) => a + b, 0);
      total += sum;
      upstreams[upstream] = {
        total: sum,
        routes: Object.fromEntries([...routes].sort()),
      };
    }
    return { since: this.since, total, upstreams };
  }
}

/**
 * A route template for the counters: names of applications, digests, run ids
 * and orgs are replaced by placeholders so counts aggregate per route.
 */
export function routeTemplate(
  upstream: string,
  method: string,
  path: string,
): string {
  let p = path;
  if (upstream === 'argocd') {
    p = p
      .replace(/^(\/argocd\/[^/]+\/api\/v1\/applications\/)[^/]+/, '$1{name}')
      .replace(
        /^(\/argocd\/[^/]+\/api\/v1\/stream\/applications\/)[^/]+/,
        '$1{name}',
      )
      .replace(
        /\/revisions\/[^/]+\/metadata$/,
        '/revisions/{revision}/metadata',
      );
  } else if (upstream === 'trivy') {
    p = p.replace(/\/reports\/[^/]+$/, '/reports/{digest}.json');
  } else if (upstream === 'snyk') {
    p = p.replace(/\/orgs\/[^/]+/, '/orgs/{org}');
  } else if (upstream === 'github') {
    p = p
      .replace(/^\/github\/repos\/[^/]+\/[^/]+/, '/github/repos/{owner}/{repo}')
      .replace(/\/runs\/\d+/, '/runs/{id}');
  } else if (upstream === 'gitlab') {
    p = p
      .replace(/\/projects\/[^/]+/, '/projects/{id}')
      .replace(/\/pipelines\/\d+/, '/pipelines/{pipeline_id}');
  }
  return `${method} ${p}`;
}
