import type { Entity } from '@backstage/catalog-model';
import { isDeliveryAvailable } from './isDeliveryAvailable';
import {
  isValidLabelSelector,
  readDeliveryAnnotations,
} from './readAnnotations';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', annotations },
    spec: {},
  };
}

describe('isDeliveryAvailable', () => {
  it('is true with an app name or an app selector', () => {
    expect(isDeliveryAvailable(entity({ 'argocd/app-name': 'a' }))).toBe(true);
    expect(
      isDeliveryAvailable(entity({ 'argocd/app-selector': 'app=a' })),
    ).toBe(true);
  });

  it('is false without them, or with blank values', () => {
    expect(isDeliveryAvailable(entity({}))).toBe(false);
    expect(isDeliveryAvailable(entity({ 'argocd/app-name': '  ' }))).toBe(
      false,
    );
    expect(
      isDeliveryAvailable(entity({ 'argocd/instance-name': 'main' })),
    ).toBe(false);
  });
});

describe('readDeliveryAnnotations', () => {
  it('reads every annotation form', () => {
    const { annotations, warnings } = readDeliveryAnnotations(
      entity({
        'argocd/app-selector': 'backstage.io/entity-ref in (checkout),env!=dev',
        'argocd/instance-name': 'prod, nonprod',
        'argocd/app-namespace': 'team-a',
        'argocd/project-name': 'payments',
        'prometheus.io/service-name': 'checkout',
        'github.com/project-slug': 'acme/checkout',
        'delivery.backstage.io/policy': 'strict',
      }),
    );
    expect(warnings).toEqual([]);
    expect(annotations).toEqual({
      appName: undefined,
      appSelector: 'backstage.io/entity-ref in (checkout),env!=dev',
      instances: ['prod', 'nonprod'],
      appNamespace: 'team-a',
      projects: ['payments'],
      prometheusServiceName: 'checkout',
      githubProjectSlug: 'acme/checkout',
      snykOrgId: undefined,
      policy: 'strict',
    });
  });

  it('prefers the selector when both name and selector are set, with a warning', () => {
    const { annotations, warnings } = readDeliveryAnnotations(
      entity({ 'argocd/app-name': 'checkout', 'argocd/app-selector': 'a=b' }),
    );
    expect(annotations.appName).toBeUndefined();
    expect(annotations.appSelector).toBe('a=b');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /Both argocd\/app-name and argocd\/app-selector/,
    );
  });

  it('drops values that could escape into a URL, with a warning', () => {
    const { annotations, warnings } = readDeliveryAnnotations(
      entity({
        'argocd/app-name': '../../api/v1/session',
        'argocd/app-namespace': 'Team_A',
        'argocd/instance-name': 'ok,http://evil',
        'github.com/project-slug': 'acme/../x?y',
      }),
    );
    expect(annotations.appName).toBeUndefined();
    expect(annotations.appNamespace).toBeUndefined();
    expect(annotations.instances).toEqual(['ok']);
    expect(annotations.githubProjectSlug).toBeUndefined();
    expect(warnings).toHaveLength(4);
  });
});

describe('isValidLabelSelector', () => {
  it.each([
    'app=checkout',
    'app==checkout,tier!=web',
    'app.kubernetes.io/name=checkout',
    '!deprecated',
    'env in (staging, production)',
    'env notin (dev)',
  ])('accepts %s', s => expect(isValidLabelSelector(s)).toBe(true));

  it.each(['a b=c', '=x', 'a=b&c=d', 'a=b c', 'env in staging', 'a=b,'])(
    'rejects %s',
    s => expect(isValidLabelSelector(s)).toBe(false),
  );
});
