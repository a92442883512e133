import type { MetricsService } from '@backstage/backend-plugin-api/alpha';

/** A MetricsService that records every counter add and histogram record. */
export function fakeMetrics() {
  const records: Array<{ name: string; value: number; attributes?: object }> =
    [];
  const instrument = (name: string) => ({
    add: (value: number, attributes?: object) =>
      records.push({ name, value, attributes }),
    record: (value: number, attributes?: object) =>
      records.push({ name, value, attributes }),
    addCallback: () => {},
    removeCallback: () => {},
  });
  const metrics = {
    createCounter: instrument,
    createUpDownCounter: instrument,
    createHistogram: instrument,
    createGauge: instrument,
    createObservableCounter: instrument,
    createObservableUpDownCounter: instrument,
    createObservableGauge: instrument,
  } as unknown as MetricsService;
  return { metrics, records };
}
