import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Scenario, ScenarioApplication } from './scenario';
import { sendJson } from './http';

/** Argo CD's error body (swagger `runtimeError`) with its HTTP status. */
export function sendArgoError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
) {
  sendJson(res, status, { error: message, code, message });
}

function toApplication(app: ScenarioApplication) {
  return {
    metadata: {
      name: app.name,
      namespace: app.namespace,
      labels: app.labels,
    },
    spec: {
      project: app.project,
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: app.name,
      },
    },
    status: {},
  };
}

// Argo CD label selectors: equality terms only, enough for the demo.
function matchesSelector(labels: Record<string, string>, selector: string) {
  return selector
    .split(',')
    .map(t => t.trim())
    .filter(Boolean)
    .every(term => {
      const [key, value] = term.split(/!=|==|=/).map(s => s.trim());
      if (term.includes('!=')) return labels[key] !== value;
      return labels[key] === value;
    });
}

/** Serves the Argo CD API of one instance. */
export function handleArgoCd(
  scenario: Scenario,
  instance: string,
  token: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): void {
  if (req.headers.authorization !== `Bearer ${token}`) {
    sendArgoError(res, 401, 16, 'no session information');
    return;
  }
  if (req.method === 'GET' && url.pathname === '/api/v1/applications') {
    const selector = url.searchParams.get('selector');
    const projects = url.searchParams.getAll('projects');
    const appNamespace = url.searchParams.get('appNamespace');
    const items = scenario.applications
      .filter(a => a.instance === instance)
      .filter(a => !selector || matchesSelector(a.labels, selector))
      .filter(a => projects.length === 0 || projects.includes(a.project))
      .filter(a => !appNamespace || a.namespace === appNamespace)
      .map(toApplication);
    sendJson(res, 200, {
      metadata: { resourceVersion: '1' },
      items: items.length ? items : null,
    });
    return;
  }
  sendJson(res, 404, { error: 'Not Found', code: 5, message: 'Not Found' });
}
