import type { MetricsService } from '@backstage/backend-plugin-api/alpha';

/** One value a fake MetricsService recorded. @public */
export interface FakeMetricRecord {
  name: string;
  value: number;
  attributes?: object;
}

/**
 * A MetricsService that records every counter add and histogram record.
 *
 * @public
 */
export function fakeMetrics(): {
  metrics: MetricsService;
  records: FakeMetricRecord[];
} {
  const records: FakeMetricRecord[] = [];
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
