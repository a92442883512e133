import type {
  ApplicationView,
  DeliveryOverview,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import { parseSelector, resolveSide } from './resolveSide';

const app = (instance: string, name: string, revision: string) =>
  ({
    instance,
    name,
    sync: { status: 'Synced', revision },
    images: [`ghcr.io/acme/checkout:${revision}`],
    history: [{ id: 4, revision }],
  } as unknown as ApplicationView);

// production runs checkout on two Argo CD instances (one per cluster)
const overview = (us: string, eu: string) =>
  ({
    entityRef: 'component:default/checkout',
    environments: [
      {
        name: 'production',
        applications: [app('us', 'checkout', us), app('eu', 'checkout', eu)],
        rollouts: [],
      },
    ],
  } as unknown as DeliveryOverview);

describe('parseSelector', () => {
  it('reads environment, instance, application and history id', () => {
    expect(parseSelector('from', 'production')).toEqual({
      environment: 'production',
    });
    expect(parseSelector('from', 'production/eu:checkout@12')).toEqual({
      environment: 'production',
      instance: 'eu',
      application: 'checkout',
      historyId: 12,
    });
    expect(() => parseSelector('to', 'production@x')).toThrow(
      'Invalid to: "production@x" is not environment[/[instance:]application][@historyId]',
    );
  });
});

describe('resolveSide', () => {
  it('asks for the instance when Applications of one name share the environment', () => {
    expect(() =>
      resolveSide(overview('1.0', '1.1'), 'to', 'production/checkout'),
    ).toThrow(
      'Invalid to: "production/checkout" names 2 Applications; qualify it with the Argo CD instance: production/us:checkout or production/eu:checkout',
    );
    expect(
      resolveSide(overview('1.0', '1.1'), 'to', 'production/eu:checkout@4'),
    ).toMatchObject({ instance: 'eu', historyId: 4, revision: '1.1' });
  });

  it('takes the first by instance, then name, when all are at one revision, with its own images', () => {
    const side = resolveSide(overview('1.0', '1.0'), 'from', 'production');
    expect(side).toMatchObject({
      instance: 'eu',
      application: 'checkout',
      images: ['ghcr.io/acme/checkout:1.0'],
    });
    expect(() =>
      resolveSide(overview('1.0', '1.1'), 'from', 'production@4'),
    ).toThrow('name one: production/eu:checkout@4, production/us:checkout@4');
  });
});
