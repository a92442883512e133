import { mockServices } from '@backstage/backend-test-utils';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  AuditRecord,
  GateResult,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { ActionCommand } from '../actions/ActionService';
import type { PolicyService, RolloutLocator } from '../policy/PolicyService';
import type { DeliveryState } from '../services/overview/OverviewService';
import { createCanaryGuard, type GuardTick } from './CanaryGuard';

/**
 * The guard's tick against fakes, on jest's fake clock: state loads that
 * never answer cost the tick one deadline, not the interval.
 */

const DEADLINE_MS = 5_000;

function entity(name: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { owner: 'team-a' },
  };
}

/** A state with one progressing canary; `rollout` names it (shared when equal). */
function stateOf(name: string, rollout = name): DeliveryState {
  return {
    entity: { entity: entity(name), entityRef: `component:default/${name}` },
    overview: { generatedAt: new Date().toISOString() },
    rollouts: [
      {
        environment: 'production',
        view: {
          name: rollout,
          namespace: rollout,
          instance: 'main',
          application: `${rollout}-production`,
          strategy: 'canary',
          aborted: false,
          fullyPromoted: false,
          canaryPodHash: 'canary1',
          stablePodHash: 'stable1',
          binding: { bound: true, enforced: true },
        },
      },
    ],
  } as unknown as DeliveryState;
}

const gate = (outcome: GateResult['outcome']) =>
  ({
    name: 'slo',
    kind: 'slo',
    outcome,
    blocking: outcome !== 'pass',
    reason: outcome === 'fail' ? 'error rate 0.08' : 'fine',
  } as GateResult);

/**
 * A world of entities: `hanging` ones whose state load never answers,
 * `breaching` ones whose SLO gate fails, the rest healthy. Counts the state
 * loads the guard is waiting on (started, not answered, deadline not passed).
 */
function world(options: {
  entities: string[];
  hanging?: string[];
  breaching?: string[];
  hangingEvaluations?: string[];
  rolloutOf?: Record<string, string>;
  concurrency: number;
}) {
  const loads: Array<{ name: string; at: number; answered: boolean }> = [];
  let maxInFlight = 0;
  const inFlight = () =>
    loads.filter(l => !l.answered && l.at + DEADLINE_MS > Date.now()).length;
  const locator: RolloutLocator = {
    getDeliveryState: async ref => {
      const load = { name: ref.name, at: Date.now(), answered: false };
      loads.push(load);
      maxInFlight = Math.max(maxInFlight, inFlight());
      if (options.hanging?.includes(ref.name)) return new Promise(() => {});
      await Promise.resolve();
      load.answered = true;
      return stateOf(ref.name, options.rolloutOf?.[ref.name]);
    },
  };
  const policy = {
    evaluate: async (state: DeliveryState) => {
      const name = state.entity.entity.metadata.name;
      if (options.hangingEvaluations?.includes(name)) {
        return new Promise(() => {});
      }
      return {
        gates: [gate(options.breaching?.includes(name) ? 'fail' : 'pass')],
      };
    },
  } as unknown as PolicyService;
  const commands: ActionCommand[] = [];
  const actions = {
    execute: async (command: ActionCommand) => {
      commands.push(command);
      return { id: `record-${commands.length}` } as AuditRecord;
    },
  };
  const catalog = {
    getEntities: async () => ({ items: options.entities.map(entity) }),
  } as unknown as CatalogService;
  const guard = createCanaryGuard({
    catalog,
    auth: mockServices.auth(),
    locator,
    policy,
    actions,
    logger: mockServices.logger.mock(),
    concurrency: options.concurrency,
    deadlineMs: DEADLINE_MS,
  });
  return { guard, loads, commands, maxInFlight: () => maxInFlight };
}

/** Starts a tick and says whether it has finished. */
function start(guard: { runOnce(): Promise<GuardTick> }) {
  const run: { tick?: GuardTick } = {};
  const promise = guard.runOnce().then(tick => {
    run.tick = tick;
    return tick;
  });
  return { run, promise };
}

const refName = (c: ActionCommand) => (c.ref as CompoundEntityRef).name;

describe('createCanaryGuard', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('ends a tick with four hanging entities at the per-entity deadline, and still aborts a healthy one that breaches', async () => {
    const { guard, commands, loads } = world({
      entities: ['h1', 'ok', 'h2', 'breach', 'h3', 'h4'],
      hanging: ['h1', 'h2', 'h3', 'h4'],
      breaching: ['breach'],
      concurrency: 4,
    });
    const t0 = Date.now();
    const { run } = start(guard);

    await jest.advanceTimersByTimeAsync(DEADLINE_MS - 1);
    expect(run.tick).toBeUndefined();
    // every state was asked for at once: none waited for a hanging one
    expect(loads.map(l => l.at)).toEqual([0, 0, 0, 0, 0, 0].map(() => t0));

    await jest.advanceTimersByTimeAsync(1);
    expect(run.tick).toBeDefined();
    expect(commands.map(refName)).toEqual(['breach']);
    expect(commands[0].request).toMatchObject({ action: 'abort' });
    expect(run.tick!.checked).toBe(2);
    expect(run.tick!.aborted).toHaveLength(1);
    expect(run.tick!.errors.sort()).toEqual(
      ['h1', 'h2', 'h3', 'h4'].map(
        name =>
          `Component:default/${name}: its delivery state did not answer within ${DEADLINE_MS} ms`,
      ),
    );
    expect(loads).toHaveLength(6);
  });

  it('keeps at most `concurrency` state loads in flight, a hanging one until its deadline', async () => {
    const { guard, commands, maxInFlight } = world({
      entities: ['h1', 'h2', 'ok', 'h3', 'breach'],
      hanging: ['h1', 'h2', 'h3'],
      breaching: ['breach'],
      concurrency: 2,
    });
    const { run } = start(guard);

    // h1 and h2 hold both slots until their deadline
    await jest.advanceTimersByTimeAsync(DEADLINE_MS - 1);
    expect(commands).toHaveLength(0);
    // then ok, h3 and breach; h3 holds its slot one more deadline
    await jest.advanceTimersByTimeAsync(DEADLINE_MS);
    expect(run.tick).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(run.tick).toBeDefined();
    expect(maxInFlight()).toBe(2);
    expect(commands.map(refName)).toEqual(['breach']);
    expect(run.tick!.errors).toHaveLength(3);
  });

  it('gives up on an SLO evaluation that never answers at the deadline', async () => {
    const { guard, commands } = world({
      entities: ['stuck', 'breach'],
      hangingEvaluations: ['stuck'],
      breaching: ['breach'],
      concurrency: 2,
    });
    const { run } = start(guard);
    await jest.advanceTimersByTimeAsync(DEADLINE_MS);
    expect(run.tick).toMatchObject({
      checked: 2,
      errors: [
        `Component:default/stuck: the SLO evaluation of stuck did not answer within ${DEADLINE_MS} ms`,
      ],
    });
    expect(commands.map(refName)).toEqual(['breach']);
  });

  it('aborts a Rollout shared by several entities once, for the first entity, with the others linked', async () => {
    const { guard, commands } = world({
      entities: ['web', 'api', 'other'],
      rolloutOf: { web: 'shop', api: 'shop' },
      breaching: ['web'],
      concurrency: 3,
    });
    const { promise } = start(guard);
    await jest.advanceTimersByTimeAsync(0);
    const tick = await promise;
    expect(tick.checked).toBe(2);
    expect(commands).toHaveLength(1);
    expect(refName(commands[0])).toBe('web');
    expect(commands[0].guard?.sharedWith).toEqual([
      { entity: entity('api'), environment: 'production' },
    ]);
    expect(commands[0].correlationId).toEqual(expect.any(String));
  });
});

describe('createCanaryGuard, a canary revision aborted and run again', () => {
  /**
   * Actions that keep one record per idempotency key, as the audit store
   * does: a key seen before answers with its record (a replay).
   */
  function recordingActions(outcome: AuditRecord['outcome'] = 'succeeded') {
    const byKey = new Map<string, AuditRecord>();
    const executed: string[] = [];
    return {
      executed,
      actions: {
        execute: async (command: ActionCommand) => {
          const key = command.request.idempotencyKey!;
          const earlier = byKey.get(key);
          if (earlier) return earlier;
          executed.push(key);
          const at = new Date().toISOString();
          const record = {
            id: `record-${executed.length}`,
            idempotencyKey: key,
            outcome,
            createdAt: at,
            updatedAt: at,
          } as AuditRecord;
          byKey.set(key, record);
          return record;
        },
      },
    };
  }

  function breachingGuard(
    actions: { execute(c: ActionCommand): Promise<AuditRecord> },
    state: () => DeliveryState,
  ) {
    return createCanaryGuard({
      catalog: {
        getEntities: async () => ({ items: [entity('checkout')] }),
      } as unknown as CatalogService,
      auth: mockServices.auth(),
      locator: { getDeliveryState: async () => state() },
      policy: {
        evaluate: async () => ({ gates: [gate('fail')] }),
      } as unknown as PolicyService,
      actions,
      logger: mockServices.logger.mock(),
      deadlineMs: DEADLINE_MS,
    });
  }

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('aborts the new attempt: the earlier abort ended before the state that shows the canary running again', async () => {
    const { actions, executed } = recordingActions();
    const guard = breachingGuard(actions, () => stateOf('checkout'));
    expect((await guard.runOnce()).aborted).toHaveLength(1);
    expect(executed).toHaveLength(1);
    // the same revision retried: a later fresh read shows it progressing
    await jest.advanceTimersByTimeAsync(90_000);
    const second = await guard.runOnce();
    expect(executed).toHaveLength(2);
    expect(executed[1]).not.toBe(executed[0]);
    expect(second.aborted.map(r => r.id)).toEqual(['record-2']);
    // and a third attempt gets a third key, derived the same way
    await jest.advanceTimersByTimeAsync(90_000);
    await guard.runOnce();
    expect(new Set(executed).size).toBe(3);
  });

  it('replays within a minute of the abort (Argo CD may show it a moment late)', async () => {
    const { actions, executed } = recordingActions();
    const guard = breachingGuard(actions, () => stateOf('checkout'));
    await guard.runOnce();
    await jest.advanceTimersByTimeAsync(30_000);
    const tick = await guard.runOnce();
    expect(executed).toHaveLength(1);
    expect(tick.aborted.map(r => r.id)).toEqual(['record-1']);
  });

  it('derives the same next key on every replica and tick', async () => {
    const one = recordingActions();
    const two = recordingActions();
    const guardOne = breachingGuard(one.actions, () => stateOf('checkout'));
    const guardTwo = breachingGuard(two.actions, () => stateOf('checkout'));
    await guardOne.runOnce();
    await guardTwo.runOnce();
    await jest.advanceTimersByTimeAsync(90_000);
    await guardOne.runOnce();
    await guardTwo.runOnce();
    expect(one.executed).toEqual(two.executed);
  });

  it('replays, and sends nothing, when the abort ended after the state was read (a read from before it)', async () => {
    const { actions, executed } = recordingActions();
    let readAt = new Date();
    const guard = breachingGuard(actions, () => ({
      ...stateOf('checkout'),
      overview: { generatedAt: readAt.toISOString() } as any,
    }));
    await guard.runOnce();
    // a state read before the first abort ended still shows the canary
    readAt = new Date(Date.now() - 1_000);
    await jest.advanceTimersByTimeAsync(90_000);
    const tick = await guard.runOnce();
    expect(executed).toHaveLength(1);
    expect(tick.aborted.map(r => r.id)).toEqual(['record-1']);
  });

  it('tries again after an abort that failed, with a new key', async () => {
    const { actions, executed } = recordingActions('failed');
    const guard = breachingGuard(actions, () => stateOf('checkout'));
    await guard.runOnce();
    await jest.advanceTimersByTimeAsync(90_000);
    await guard.runOnce();
    expect(executed).toHaveLength(2);
  });
});
