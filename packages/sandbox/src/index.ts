export { startSandbox, DEMO_ARGOCD_TOKEN } from './server';
export type { Sandbox, SandboxOptions } from './server';
