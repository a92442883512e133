import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_ARGOCD_INSTANCE_NAME } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { ResolvedEntity } from '../EntityResolver/EntityResolver';
import { noMatchWarning, searchScope } from './searchScope';

function entity(
  annotations: Partial<ResolvedEntity['annotations']>,
  instanceAnnotation?: string,
): Pick<ResolvedEntity, 'entity' | 'annotations'> {
  const raw: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout',
      annotations:
        instanceAnnotation !== undefined
          ? { [ANNOTATION_ARGOCD_INSTANCE_NAME]: instanceAnnotation }
          : {},
    },
  };
  return {
    entity: raw,
    annotations: {
      instances: [],
      projects: [],
      ...annotations,
    } as ResolvedEntity['annotations'],
  };
}

describe('searchScope', () => {
  it('searches every configured instance when the entity names none', () => {
    expect(searchScope(entity({ appName: 'checkout' }), ['a', 'b'])).toEqual({
      instances: ['a', 'b'],
      warnings: [],
    });
  });

  it('searches nothing without an app-name or app-selector annotation', () => {
    const scope = searchScope(entity({}), ['a']);
    expect(scope.instances).toEqual([]);
    expect(scope.notSearched).toMatchObject({
      source: 'argocd',
      status: 'not-configured',
    });
  });

  it('restricts the search to the named instances and warns of unknown ones', () => {
    const scope = searchScope(
      entity({ appName: 'checkout', instances: ['b', 'nope'] }, 'b,nope'),
      ['a', 'b'],
    );
    expect(scope.instances).toEqual(['b']);
    expect(scope.notSearched).toBeUndefined();
    expect(scope.warnings).toEqual([
      `Annotation ${ANNOTATION_ARGOCD_INSTANCE_NAME} lists "nope", which is not a configured Argo CD instance; it is not searched.`,
    ]);
  });

  it('never widens an annotation naming only unknown instances to all', () => {
    const scope = searchScope(
      entity({ appName: 'checkout', instances: ['x', 'y'] }, 'x,y'),
      ['a'],
    );
    expect(scope.instances).toEqual([]);
    expect(scope.notSearched).toEqual({
      source: 'argocd',
      status: 'error',
      message: `Annotation ${ANNOTATION_ARGOCD_INSTANCE_NAME} names no configured Argo CD instance ("x", "y" unknown); nothing is searched`,
    });
    expect(scope.warnings[0]).toContain('are not configured Argo CD instances');
  });

  it('says so when no instance is configured', () => {
    expect(
      searchScope(entity({ appName: 'checkout' }), []).notSearched,
    ).toEqual({
      source: 'argocd',
      status: 'not-configured',
      message: 'No configured Argo CD instance to search',
    });
  });
});

describe('noMatchWarning', () => {
  it('names the selector or the name and the searched instances', () => {
    expect(
      noMatchWarning(entity({ appSelector: 'app=checkout' }).annotations, [
        'a',
        'b',
      ]),
    ).toBe(
      'No Argo CD application matches the selector "app=checkout" on "a", "b".',
    );
    expect(
      noMatchWarning(entity({ appName: 'checkout' }).annotations, ['a']),
    ).toBe('No Argo CD application matches the name "checkout" on "a".');
  });
});
