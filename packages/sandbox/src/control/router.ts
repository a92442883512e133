import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyError, parseJson, readBody, sendJson } from '../http';
import { isFullyPromoted, rolloutPhase } from '../rollouts/controller';
import {
  ScenarioError,
  serviceScenarioNames,
  worldScenarioNames,
} from '../world/load';
import type { WorldState } from '../world/state';
import type { CallStats } from './stats';
import { resourceTreeJson } from '../argocd/router';
import {
  streamsOf,
  type StreamFault,
  type StreamFaultScope,
} from '../argocd/stream';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Whether a request comes from this machine. */
export function isLoopback(req: IncomingMessage): boolean {
  return LOOPBACK.has(req.socket.remoteAddress ?? '');
}

/** The sandbox state: scenario per service and where each Rollout is. */
export function sandboxState(world: WorldState) {
  world.tick();
  return {
    scenario: world.worldScenario,
    timeScale: world.clock.scale,
    now: new Date(world.clock.toWire(world.clock.now())).toISOString(),
    services: Object.fromEntries(
      world.services.map(s => {
        const app = world.apps.find(
          a => a.service.name === s.name && a.rollout,
        );
        const r = app?.rollout;
        return [
          s.name,
          {
            scenario: world.scenarios[s.name]?.name,
            rollout: r && {
              name: r.name,
              namespace: r.namespace,
              strategy: r.strategy,
              ...rolloutPhase(r),
              currentStepIndex: r.currentStepIndex,
              steps: r.steps.length,
              canaryWeight: r.canaryWeight,
              currentPodHash: r.canaryHash,
              stableRS: r.stableHash,
              fullyPromoted: isFullyPromoted(r),
              abort: r.abort,
              analysisRuns: r.analysisRuns.map(a => ({
                name: a.name,
                phase: a.phase,
              })),
            },
            applications: world.apps
              .filter(a => a.service.name === s.name)
              .map(a => ({
                instance: a.instance,
                name: a.name,
                environment: a.env,
              })),
          },
        ];
      }),
    ),
  };
}

async function control(
  world: WorldState,
  stats: CallStats,
  req: IncomingMessage,
  key: string,
): Promise<[number, unknown]> {
  if (key === 'GET /state') return [200, sandboxState(world)];
  if (key === 'GET /stats') return [200, stats.toJSON()];
  if (key === 'POST /stats/reset') {
    stats.reset();
    return [200, stats.toJSON()];
  }
  if (key === 'GET /scenarios') {
    return [
      200,
      { world: worldScenarioNames(), service: serviceScenarioNames() },
    ];
  }
  if (key === 'POST /scenario') {
    const body = parseJson(await readBody(req)) as {
      service?: unknown;
      scenario?: unknown;
    };
    if (
      !body ||
      typeof body !== 'object' ||
      typeof body.scenario !== 'string'
    ) {
      return [
        400,
        {
          error:
            'Body must be {"scenario": "<name>"} or {"service": "<name>", "scenario": "<name>"}',
        },
      ];
    }
    if (body.service !== undefined) {
      if (typeof body.service !== 'string') {
        return [400, { error: '"service" must be a string' }];
      }
      world.selectService(body.service, body.scenario);
    } else {
      world.selectWorld(body.scenario);
    }
    return [200, sandboxState(world)];
  }
  if (key === 'POST /clock/advance') {
    const body = parseJson(await readBody(req)) as { seconds?: unknown };
    const seconds = body?.seconds;
    if (
      typeof seconds !== 'number' ||
      !Number.isFinite(seconds) ||
      seconds < 0 ||
      seconds > 7 * 86_400
    ) {
      return [
        400,
        { error: '"seconds" must be a number between 0 and 604800' },
      ];
    }
    world.clock.advance(seconds * 1000);
    return [200, sandboxState(world)];
  }
  if (key === 'POST /argocd-streams') {
    const body = parseJson(await readBody(req)) as {
      fault?: unknown;
      streams?: unknown;
    };
    const faults = ['none', 'drop', 'error', 'silent'];
    if (typeof body?.fault !== 'string' || !faults.includes(body.fault)) {
      return [400, { error: `"fault" must be one of ${faults.join(', ')}` }];
    }
    const scopes = ['all', 'trees'];
    const scope = body.streams ?? 'all';
    if (typeof scope !== 'string' || !scopes.includes(scope)) {
      return [400, { error: `"streams" must be one of ${scopes.join(', ')}` }];
    }
    const streams = streamsOf(world, a => resourceTreeJson(world, a));
    streams.setFault(body.fault as StreamFault, scope as StreamFaultScope);
    return [
      200,
      { fault: streams.currentFault, streams: streams.currentFaultScope },
    ];
  }
  return [404, { error: `No control route ${key}` }];
}

/** Serves the loopback-only control endpoint under /sandbox. */
export async function handleControl(
  world: WorldState,
  stats: CallStats,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  if (!isLoopback(req)) {
    sendJson(res, 403, {
      error: 'The sandbox control endpoint only answers loopback clients',
    });
    return;
  }
  try {
    const [status, body] = await control(
      world,
      stats,
      req,
      `${req.method} ${path}`,
    );
    sendJson(res, status, body);
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof BodyError) {
      sendJson(res, 400, { error: e.message });
      return;
    }
    throw e;
  }
}
