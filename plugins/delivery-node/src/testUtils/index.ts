/**
 * Test utilities of the Delivery node library: a fake Argo CD, checked
 * against the Argo CD API contract, for the suites of the Delivery plugins
 * and of adopters' own backend modules.
 *
 * @packageDocumentation
 */

export type { ArgoCdSwagger } from './contract';
export {
  createFakeArgoCd,
  fakeArgoCdHandlers,
  type FakeArgoCd,
} from './fakeArgoCd';
export {
  fakeArgoCdResourceKey,
  type FakeArgoCdApplication,
  type FakeArgoCdCall,
  type FakeArgoCdFault,
  type FakeArgoCdOptions,
  type FakeArgoCdProject,
} from './fakeArgoCdTypes';
export { fakeMetrics, type FakeMetricRecord } from './fakeMetrics';
export { memoryCache } from './memoryCache';
