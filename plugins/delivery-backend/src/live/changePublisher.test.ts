import { mockServices } from '@backstage/backend-test-utils';
import type { SignalsService } from '@backstage/plugin-signals-node';
import { createChangePublisher } from './changePublisher';

function recordingSignals() {
  const published: Array<{ channel: string; message: unknown }> = [];
  const signals: SignalsService = {
    async publish(signal) {
      published.push({ channel: signal.channel, message: signal.message });
      expect(signal.recipients).toEqual({ type: 'broadcast' });
    },
  };
  return { signals, published };
}

describe('createChangePublisher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('publishes "changed" on the entity channel at once, without any view data', async () => {
    const { signals, published } = recordingSignals();
    const publisher = createChangePublisher({
      signals,
      logger: mockServices.logger.mock(),
      coalesceMs: 500,
    });
    publisher.entitiesChanged(['Component:default/Checkout']);
    await publisher.flush();
    expect(published).toEqual([
      {
        channel: 'delivery:entity:component:default/checkout',
        message: { type: 'changed', entityRef: 'component:default/checkout' },
      },
    ]);
  });

  it('coalesces a burst per entity into the first signal and one at the end of the window', async () => {
    const { signals, published } = recordingSignals();
    const publisher = createChangePublisher({
      signals,
      logger: mockServices.logger.mock(),
      coalesceMs: 500,
    });
    const channels = () => published.map(p => p.channel);
    for (let i = 0; i < 10; i++) {
      publisher.entitiesChanged([
        'component:default/checkout',
        ...(i === 3 ? ['component:default/payments'] : []),
      ]);
    }
    expect(channels()).toEqual([
      'delivery:entity:component:default/checkout',
      'delivery:entity:component:default/payments',
    ]);
    jest.advanceTimersByTime(500);
    // checkout changed again within its window; payments did not
    expect(channels()).toEqual([
      'delivery:entity:component:default/checkout',
      'delivery:entity:component:default/payments',
      'delivery:entity:component:default/checkout',
    ]);
    // a quiet window ends without a signal, and the next change is at once
    jest.advanceTimersByTime(500);
    expect(published).toHaveLength(3);
    jest.advanceTimersByTime(500);
    publisher.entitiesChanged(['component:default/checkout']);
    expect(published).toHaveLength(4);
    await publisher.flush();
  });

  it('publishes what still waits when flushed (shutdown)', async () => {
    const { signals, published } = recordingSignals();
    const publisher = createChangePublisher({
      signals,
      logger: mockServices.logger.mock(),
      coalesceMs: 60_000,
    });
    publisher.entitiesChanged(['component:default/checkout']);
    publisher.entitiesChanged(['component:default/checkout']);
    await publisher.flush();
    expect(published).toHaveLength(2);
  });

  it('logs a failed publish and never throws into the caller', async () => {
    const logger = mockServices.logger.mock();
    const publisher = createChangePublisher({
      signals: { publish: () => Promise.reject(new Error('events hub down')) },
      logger,
      coalesceMs: 0,
    });
    expect(() =>
      publisher.entitiesChanged(['component:default/checkout']),
    ).not.toThrow();
    await publisher.flush();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'the signal for component:default/checkout could not be published: events hub down',
      ),
    );
  });
});
