import { startSandbox } from 'sandbox';
import { addGeneratedServices } from './generatedServices';

function numberArg(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a non-negative number, got "${text}"`);
  }
  return value;
}

// A child process of the benchmark runner, so that the load generator and
// the backend do not share its event loop.
async function main() {
  const sandbox = await startSandbox({
    port: numberArg('SANDBOX_PORT', 0),
    scenario: 'demo',
    latency: {
      argocdMs: numberArg('SANDBOX_LATENCY_ARGOCD_MS', 50),
      prometheusMs: numberArg('SANDBOX_LATENCY_PROMETHEUS_MS', 20),
      jitter: numberArg('SANDBOX_LATENCY_JITTER', 0.1),
    },
  });
  addGeneratedServices(sandbox, numberArg('BENCH_GENERATED_SERVICES', 50));
  process.stdout.write(`READY ${JSON.stringify({ url: sandbox.url })}\n`);
  const stop = () => sandbox.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(error => {
  process.stderr.write(`bench sandbox failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
