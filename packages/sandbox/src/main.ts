import { startSandbox } from './server';

function numberEnv(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a non-negative number, got "${text}"`);
  }
  return value;
}

async function main() {
  const sandbox = await startSandbox({
    port: numberEnv('SANDBOX_PORT') ?? 7171,
    scenario: process.env.SANDBOX_SCENARIO || 'demo',
    timeScale: numberEnv('SANDBOX_TIME_SCALE') ?? 1,
    latency: {
      argocdMs: numberEnv('SANDBOX_LATENCY_ARGOCD_MS'),
      prometheusMs: numberEnv('SANDBOX_LATENCY_PROMETHEUS_MS'),
      jitter: numberEnv('SANDBOX_LATENCY_JITTER'),
    },
  });
  process.stdout.write(
    `Sandbox (a test double of Argo CD, Argo Rollouts, Prometheus, Trivy, Snyk and GitHub Actions; not a real upstream) listening on ${sandbox.url}, scenario ${sandbox.world.worldScenario}, time scale ${sandbox.world.clock.scale}\n`,
  );
  const stop = () => sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(error => {
  process.stderr.write(
    `Sandbox failed to start: ${(error as Error).message}\n`,
  );
  process.exit(1);
});
