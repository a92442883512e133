import { ConfigReader } from '@backstage/config';
import {
  prometheusInstanceFor,
  readPrometheusConfig,
} from './prometheusConfig';
import { DEFAULT_SLOS } from './sloDefinitions';

describe('readPrometheusConfig', () => {
  it('reads instances and falls back to the default SLOs', () => {
    const config = readPrometheusConfig(
      new ConfigReader({
        delivery: {
          prometheus: {
            timeoutMs: 3000,
            instances: [
              {
                name: 'main',
                url: 'http://127.0.0.1:7171/prometheus/',
                headers: { Authorization: 'Bearer x' },
              },
              {
                name: 'nonprod',
                url: 'https://prom.nonprod',
                timeoutMs: 500,
                argocdInstances: ['nonprod'],
              },
            ],
          },
        },
      }),
    );
    expect(config.instances).toEqual([
      {
        name: 'main',
        url: 'http://127.0.0.1:7171/prometheus',
        headers: { Authorization: 'Bearer x' },
        timeoutMs: 3000,
        argocdInstances: [],
      },
      {
        name: 'nonprod',
        url: 'https://prom.nonprod',
        headers: {},
        timeoutMs: 500,
        argocdInstances: ['nonprod'],
      },
    ]);
    expect(config.slos).toBe(DEFAULT_SLOS);
    expect(prometheusInstanceFor(config.instances, 'nonprod')?.name).toBe(
      'nonprod',
    );
    expect(prometheusInstanceFor(config.instances, 'main')?.name).toBe('main');
    expect(readPrometheusConfig(new ConfigReader({})).instances).toEqual([]);
  });

  it('reads configured SLOs instead of the defaults', () => {
    const config = readPrometheusConfig(
      new ConfigReader({
        delivery: {
          slos: {
            availability: {
              query: 'avg(up{namespace="{{namespace}}"})',
              threshold: 0.99,
              comparison: 'above',
            },
          },
        },
      }),
    );
    expect(config.slos).toEqual([
      {
        name: 'availability',
        query: 'avg(up{namespace="{{namespace}}"})',
        threshold: 0.99,
        comparison: 'above',
        description: undefined,
        unit: undefined,
      },
    ]);
  });

  it.each([
    [
      { prometheus: { instances: [{ name: 'a', url: 'ftp://x' }] } },
      /must start with http/,
    ],
    [
      {
        prometheus: {
          instances: [
            { name: 'a', url: 'http://x' },
            { name: 'a', url: 'http://y' },
          ],
        },
      },
      /used twice/,
    ],
    [
      { slos: { x: { query: '{{image}}', threshold: 1 } } },
      /delivery.slos.x.query: unknown placeholder \{\{image\}\}/,
    ],
    [
      { slos: { x: { query: 'up', threshold: 1, comparison: 'over' } } },
      /comparison must be/,
    ],
  ])('refuses %j', (delivery, message) => {
    expect(() => readPrometheusConfig(new ConfigReader({ delivery }))).toThrow(
      message,
    );
  });
});
