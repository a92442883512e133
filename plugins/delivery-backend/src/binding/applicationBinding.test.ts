import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import type { ArgoCdApplication } from '@gitops-delivery/backstage-plugin-delivery-node';
import { bindingOf } from './applicationBinding';
import { readBindingConfig, type BindingConfig } from './readBindingConfig';

function entity(
  name: string,
  options: { namespace?: string; kind?: string; owner?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: options.kind ?? 'Component',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      // what the entity says about itself never binds
      annotations: {
        'argocd/app-selector': 'app=checkout',
        'backstage.io/kubernetes-id': 'checkout',
        'delivery.backstage.io/entity-ref': 'component:default/checkout',
      },
    },
    spec: { owner: options.owner ?? 'team-storefront' },
  };
}

function application(
  options: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    project?: string;
  } = {},
): ArgoCdApplication {
  return {
    metadata: {
      name: 'checkout-production',
      namespace: 'argocd',
      labels: options.labels,
      annotations: options.annotations,
    },
    spec: { project: options.project ?? 'checkout' },
  };
}

const REQUIRED: BindingConfig = { required: true, ownerProjects: [] };

const bind = (
  e: Entity,
  app: ArgoCdApplication,
  config: BindingConfig = REQUIRED,
  instance = 'main',
) => bindingOf({ entity: e, instance, application: app, config });

describe('bindingOf', () => {
  it('binds by the Application’s entity-ref annotation, any of a list, case-insensitively', () => {
    const app = application({
      annotations: {
        'delivery.backstage.io/entity-ref':
          'component:default/checkout-worker, Component:default/Checkout',
      },
    });
    expect(bind(entity('checkout'), app)).toEqual({
      bound: true,
      by: 'annotation',
      enforced: true,
    });
    expect(bind(entity('checkout-worker'), app).bound).toBe(true);
    expect(bind(entity('intruder'), app)).toMatchObject({
      bound: false,
      enforced: true,
      reason: expect.stringContaining(
        'its entity-ref annotation names "component:default/checkout-worker", "Component:default/Checkout"',
      ),
    });
  });

  it('also binds by the backstage.io/entity-ref annotation earlier scaffolded Applications carry', () => {
    const app = application({
      annotations: { 'backstage.io/entity-ref': 'component:default/checkout' },
    });
    expect(bind(entity('checkout'), app)).toMatchObject({
      bound: true,
      by: 'annotation',
    });
    expect(bind(entity('intruder'), app).bound).toBe(false);
  });

  it('reads the kubernetes-id label as component:default/<value> only', () => {
    const app = application({
      labels: { 'backstage.io/kubernetes-id': 'checkout' },
    });
    expect(bind(entity('checkout'), app)).toEqual({
      bound: true,
      by: 'label',
      enforced: true,
    });
    // the same name in another namespace or kind is another entity
    expect(bind(entity('checkout', { namespace: 'team-x' }), app).bound).toBe(
      false,
    );
    expect(bind(entity('checkout', { kind: 'Resource' }), app).bound).toBe(
      false,
    );
    expect(bind(entity('intruder'), app).reason).toContain(
      'its backstage.io/kubernetes-id label is "checkout" (component:default/checkout)',
    );
  });

  it('never binds through the entity’s own annotations', () => {
    expect(bind(entity('intruder'), application())).toMatchObject({
      bound: false,
      reason:
        'Argo CD Application "checkout-production" on "main" does not name component:default/intruder: it has neither the delivery.backstage.io/entity-ref annotation nor the backstage.io/kubernetes-id label, and no delivery.actions.ownerProjects rule ties its project "checkout" to the entity\'s owner (group:default/team-storefront)',
    });
  });

  it('binds by an owner rule: the owner’s projects, on the rule’s instances', () => {
    const config = readBindingConfig(
      new ConfigReader({
        delivery: {
          actions: {
            ownerProjects: [
              { owner: 'group:default/team-a', projects: ['checkout'] },
              {
                owner: 'team-b',
                projects: ['payments'],
                instances: ['nonprod'],
              },
            ],
          },
        },
      }),
    );
    const owned = (owner: string) => entity('any', { owner });
    expect(bind(owned('team-a'), application(), config)).toEqual({
      bound: true,
      by: 'owner-rule',
      enforced: true,
    });
    expect(
      bind(owned('Group:default/TEAM-A'), application(), config).bound,
    ).toBe(true);
    expect(bind(owned('team-b'), application(), config).bound).toBe(false);
    const payments = application({ project: 'payments' });
    expect(bind(owned('team-b'), payments, config, 'main').bound).toBe(false);
    expect(bind(owned('team-b'), payments, config, 'nonprod').bound).toBe(true);
  });

  it('reports the binding as not enforced when requireBinding is false', () => {
    const config = readBindingConfig(
      new ConfigReader({ delivery: { actions: { requireBinding: false } } }),
    );
    expect(bind(entity('intruder'), application(), config)).toMatchObject({
      bound: false,
      enforced: false,
    });
  });
});

describe('readBindingConfig', () => {
  it('requires the binding by default', () => {
    expect(readBindingConfig(new ConfigReader({}))).toEqual({
      required: true,
      ownerProjects: [],
    });
  });

  it('rejects a bad owner ref or project name, naming the key', () => {
    const read = (rule: object) =>
      readBindingConfig(
        new ConfigReader({ delivery: { actions: { ownerProjects: [rule] } } }),
      );
    expect(() => read({ owner: 'group:', projects: ['a'] })).toThrow(
      /delivery\.actions\.ownerProjects\[0\]\.owner/,
    );
    expect(() =>
      read({ owner: 'team-a', projects: ['Not A Project'] }),
    ).toThrow(
      'delivery.actions.ownerProjects[0].projects: "Not A Project" is not a valid Argo CD project name',
    );
  });
});
