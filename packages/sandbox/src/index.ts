/**
 * The sandbox: a local test double of the Delivery plugins' upstreams, for
 * the demo, end-to-end tests and benchmarks. Never imported by the plugins.
 *
 * @packageDocumentation
 */
export { startSandbox, DEMO_ARGOCD_TOKEN } from './server';
export type { Sandbox, SandboxOptions, LatencyOptions } from './server';
export { createClock } from './clock';
export type { Clock } from './clock';
