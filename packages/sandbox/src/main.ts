import { startSandbox } from './server';

// `yarn workspace sandbox start`: SANDBOX_PORT (default 7171),
// SANDBOX_SCENARIO (default demo).
startSandbox({
  port: Number(process.env.SANDBOX_PORT ?? 7171),
  scenario: process.env.SANDBOX_SCENARIO ?? 'demo',
}).then(
  sandbox => {
    process.stdout.write(
      `Sandbox (a test double, not a real upstream) listening on ${sandbox.url}\n`,
    );
  },
  error => {
    process.stderr.write(`Sandbox failed to start: ${error.message}\n`);
    process.exit(1);
  },
);
