import type { IncomingMessage, ServerResponse } from 'node:http';
import { wireTime } from '../clock';
import { sendJson } from '../http';
import { uid } from '../ids';
import type { WorldState } from '../world/state';
import { allImages, type ScannedImage } from './vulnerabilities';

/** The demo's Snyk API token (a test double's, not a secret). */
export const DEMO_SNYK_TOKEN = 'sandbox-snyk-token';
/** The demo's Snyk organization id. */
export const DEMO_SNYK_ORG = 'sandbox-org';

const JSONAPI = 'application/vnd.api+json';

function snykError(
  res: ServerResponse,
  status: number,
  detail: string,
  title: string,
) {
  sendJson(
    res,
    status,
    {
      jsonapi: { version: '1.0' },
      errors: [
        {
          id: uid(`${status}:${detail}`),
          status: String(status),
          title,
          detail,
        },
      ],
    },
    JSONAPI,
  );
}

function projectId(image: ScannedImage) {
  return uid(`snyk-project:${image.repository}:${image.tag}`);
}

function project(world: WorldState, image: ScannedImage) {
  const id = projectId(image);
  return {
    id,
    type: 'project',
    attributes: {
      name: `${image.repository}:${image.tag}`,
      type: 'deb',
      target_file: '',
      target_reference: image.tag,
      origin: 'cli',
      created: wireTime(world.clock, world.startedAt - 86_400_000),
      status: 'active',
      business_criticality: [],
      environment: [],
      lifecycle: [],
      tags: [],
      read_only: false,
    },
    relationships: {
      organization: {
        data: { id: DEMO_SNYK_ORG, type: 'org' },
        links: { related: `/orgs/${DEMO_SNYK_ORG}` },
      },
      target: {
        data: { id: uid(`snyk-target:${image.repository}`), type: 'target' },
      },
    },
  };
}

function issues(world: WorldState, image: ScannedImage) {
  const created = wireTime(world.clock, world.startedAt - 86_400_000);
  return image.vulnerabilities.map(v => {
    const level = v.severity.toLowerCase();
    return {
      id: uid(`snyk-issue:${projectId(image)}:${v.id}`),
      type: 'issue',
      attributes: {
        key: `SNYK-DEBIAN12-${v.pkg
          .toUpperCase()
          .replace(/[^A-Z0-9]/g, '')}-${v.id.replace(/\D/g, '').slice(-7)}`,
        title: v.title,
        type: 'package_vulnerability',
        effective_severity_level: level,
        status: 'open',
        ignored: false,
        problems: [
          {
            id: v.id,
            source: 'NVD',
            type: 'vulnerability',
            url: `https://nvd.nist.gov/vuln/detail/${v.id}`,
            updated_at: created,
          },
        ],
        coordinates: [
          {
            is_fixable_manually: false,
            is_fixable_snyk: false,
            is_fixable_upstream: v.fixed !== '',
            is_patchable: false,
            is_pinnable: false,
            is_upgradeable: v.fixed !== '',
            reachability: 'not-applicable',
            representations: [
              {
                dependency: {
                  package_name: v.pkg,
                  package_version: v.installed,
                },
              },
            ],
          },
        ],
        severities: [
          {
            level,
            score: v.score,
            source: 'NVD',
            vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
            version: '3.1',
            modification_time: created,
          },
        ],
        risk: {
          factors: [],
          score: { model: 'v1', value: Math.round(v.score * 70) },
        },
        created_at: created,
        updated_at: created,
      },
      relationships: {
        organization: {
          data: { id: DEMO_SNYK_ORG, type: 'organization' },
          links: { related: `/orgs/${DEMO_SNYK_ORG}` },
        },
        scan_item: {
          data: { id: projectId(image), type: 'project' },
          links: {
            related: `/orgs/${DEMO_SNYK_ORG}/projects/${projectId(image)}`,
          },
        },
      },
    };
  });
}

/** Pages a list JSON:API style with `starting_after` cursors in `links.next`. */
function page<T extends { id: string }>(items: T[], url: URL, base: string) {
  const limitText = url.searchParams.get('limit') ?? '10';
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw Object.assign(
      new Error(
        `limit must be an integer between 1 and 100, got "${limitText}"`,
      ),
      { status: 400 },
    );
  }
  const after = url.searchParams.get('starting_after');
  let start = 0;
  if (after) {
    const decoded = Buffer.from(after, 'base64url').toString('utf8');
    const index = items.findIndex(i => i.id === decoded);
    if (index < 0)
      throw Object.assign(new Error('starting_after cursor is invalid'), {
        status: 400,
      });
    start = index + 1;
  }
  const data = items.slice(start, start + limit);
  const link = (extra: Record<string, string>) => {
    const q = new URLSearchParams(url.searchParams);
    q.delete('starting_after');
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return `${base}${url.pathname}?${q.toString()}`;
  };
  const links: Record<string, string> = {
    self: `${base}${url.pathname}${url.search}`,
    first: link({}),
  };
  if (start + limit < items.length) {
    links.next = link({
      starting_after: Buffer.from(data[data.length - 1].id).toString(
        'base64url',
      ),
    });
  }
  if (after)
    links.prev = link({
      ending_before: Buffer.from(data[0]?.id ?? after).toString('base64url'),
    });
  return { jsonapi: { version: '1.0' }, data, links };
}

/** Serves the Snyk REST subset under /snyk/rest. */
export function handleSnyk(
  world: WorldState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) {
  const url = new URL(
    path + (req.url?.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''),
    'http://sandbox',
  );
  const auth = req.headers.authorization ?? '';
  if (
    auth !== `token ${DEMO_SNYK_TOKEN}` &&
    auth !== `bearer ${DEMO_SNYK_TOKEN}` &&
    auth !== `Bearer ${DEMO_SNYK_TOKEN}`
  ) {
    snykError(
      res,
      401,
      'Unauthorized: the Authorization header is missing or invalid',
      'Unauthorized',
    );
    return;
  }
  const version = url.searchParams.get('version');
  if (!version || !/^\d{4}-\d{2}-\d{2}(~(beta|experimental))?$/.test(version)) {
    snykError(
      res,
      400,
      `requested version "${
        version ?? ''
      }" is not valid or missing; use ?version=YYYY-MM-DD`,
      'Bad Request',
    );
    return;
  }
  if (req.method !== 'GET') {
    snykError(res, 405, 'method not allowed', 'Method Not Allowed');
    return;
  }
  const m = /^\/orgs\/([^/]+)\/(projects|issues)$/.exec(url.pathname);
  if (!m) {
    snykError(res, 404, `no route ${url.pathname}`, 'Not Found');
    return;
  }
  if (m[1] !== DEMO_SNYK_ORG) {
    snykError(res, 404, `org ${m[1]} not found`, 'Not Found');
    return;
  }
  const images = allImages(world);
  const base = '/snyk/rest';
  try {
    if (m[2] === 'projects') {
      const names = url.searchParams
        .getAll('names')
        .flatMap(n => n.split(','))
        .filter(Boolean);
      const selected = images.filter(
        i => names.length === 0 || names.includes(`${i.repository}:${i.tag}`),
      );
      sendJson(
        res,
        200,
        page(
          selected.map(i => project(world, i)),
          url,
          base,
        ),
        JSONAPI,
      );
      return;
    }
    const scanId = url.searchParams.get('scan_item.id');
    const scanType = url.searchParams.get('scan_item.type');
    if ((scanId && scanType !== 'project') || (!scanId && scanType)) {
      snykError(
        res,
        400,
        'scan_item.id and scan_item.type=project must be given together',
        'Bad Request',
      );
      return;
    }
    const severities = (url.searchParams.get('effective_severity_level') ?? '')
      .split(',')
      .filter(Boolean);
    const type = url.searchParams.get('type');
    const status = url.searchParams.get('status');
    const all = images
      .filter(i => !scanId || projectId(i) === scanId)
      .flatMap(i => issues(world, i))
      .filter(
        i =>
          severities.length === 0 ||
          severities.includes(i.attributes.effective_severity_level),
      )
      .filter(i => !type || i.attributes.type === type)
      .filter(i => !status || i.attributes.status === status);
    sendJson(res, 200, page(all, url, base), JSONAPI);
  } catch (e) {
    const status = (e as { status?: number }).status ?? 500;
    snykError(
      res,
      status,
      (e as Error).message,
      status === 400 ? 'Bad Request' : 'Internal Server Error',
    );
  }
}
