import { parseAllDocuments } from 'yaml';
import { fixtureText } from 'delivery-test-data';
import { routedCanaryWeight } from './routerWeight';

/** argo-rollouts' Istio mirror example: its VirtualService as applied (stable 100, canary 0). */
function virtualService() {
  return parseAllDocuments(
    fixtureText('argo-rollouts/rollout-canary-istio-mirror.yaml'),
  )
    .map(d => d.toJS())
    .find(d => d?.kind === 'VirtualService');
}

describe('routedCanaryWeight', () => {
  it('reads the canary destination of the managed VirtualService route', () => {
    const vs = virtualService();
    expect(
      routedCanaryWeight('VirtualService', vs, 'istio-host-split-canary', [
        'primary',
      ]),
    ).toBe(0);
    // as the controller sets it at a 30% step
    vs.spec.http[0].route[0].weight = 70;
    vs.spec.http[0].route[1].weight = 30;
    expect(
      routedCanaryWeight('VirtualService', vs, 'istio-host-split-canary', [
        'primary',
      ]),
    ).toBe(30);
    // another route name: not the one the Rollout manages
    expect(
      routedCanaryWeight('VirtualService', vs, 'istio-host-split-canary', [
        'other',
      ]),
    ).toBeUndefined();
  });

  it('reads the NGINX canary Ingress weight and ALB target groups', () => {
    expect(
      routedCanaryWeight(
        'Ingress',
        {
          metadata: {
            annotations: {
              'nginx.ingress.kubernetes.io/canary': 'true',
              'nginx.ingress.kubernetes.io/canary-weight': '25',
            },
          },
        },
        'web-canary',
      ),
    ).toBe(25);
    // the stable Ingress carries no weight
    expect(routedCanaryWeight('Ingress', { metadata: {} }, 'web-canary')).toBe(
      undefined,
    );
    expect(
      routedCanaryWeight(
        'Ingress',
        {
          metadata: {
            annotations: {
              'alb.ingress.kubernetes.io/actions.web-root': JSON.stringify({
                type: 'forward',
                forwardConfig: {
                  targetGroups: [
                    {
                      serviceName: 'web-canary',
                      servicePort: '80',
                      weight: 40,
                    },
                    {
                      serviceName: 'web-stable',
                      servicePort: '80',
                      weight: 60,
                    },
                  ],
                },
              }),
            },
          },
        },
        'web-canary',
      ),
    ).toBe(40);
  });

  it('reads TrafficSplit backends and HTTPRoute backendRefs as shares', () => {
    expect(
      routedCanaryWeight(
        'TrafficSplit',
        {
          spec: {
            backends: [
              { service: 'web-canary', weight: 1 },
              { service: 'web-stable', weight: 3 },
            ],
          },
        },
        'web-canary',
      ),
    ).toBe(25);
    expect(
      routedCanaryWeight(
        'HTTPRoute',
        {
          spec: {
            rules: [
              {
                backendRefs: [
                  { name: 'web-stable', port: 80, weight: 90 },
                  { name: 'web-canary', port: 80, weight: 10 },
                ],
              },
            ],
          },
        },
        'web-canary',
      ),
    ).toBe(10);
    expect(routedCanaryWeight('Service', {}, 'web-canary')).toBeUndefined();
    expect(routedCanaryWeight('HTTPRoute', undefined, 'web-canary')).toBe(
      undefined,
    );
  });
});
