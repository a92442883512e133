import { defineConfig } from '@playwright/test';

// The end-to-end suite runs against the demo exactly as `npm start` starts
// it (scripts/start.sh), with the sandbox's clock sped up so a 10-minute
// canary pause lasts seconds. It drives Debian's Chromium through
// playwright-core: no browser is ever downloaded.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  // generous: the dev server and the browser share two cores with the backend
  timeout: 300_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  // On CI one retry: two cores run the dev server, the backend, the sandbox
  // and the browser, and a test that passes only on its retry is reported
  // as flaky by name in npm test's summary (scripts/test.sh), not hidden.
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI
    ? [['list'], ['json', { outputFile: '.tmp/test-results/e2e.json' }]]
    : [['list']],
  // failure screenshots land here; the named state screenshots beside them
  outputDir: '.tmp/e2e-screenshots/failures',
  webServer: {
    command: 'bash scripts/start.sh',
    url: 'http://localhost:3000',
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      // 10x: the canary's 10-minute pause and its 10-minute soak last a
      // minute each, long enough for the browser to see and act on them
      SANDBOX_TIME_SCALE: process.env.SANDBOX_TIME_SCALE ?? '10',
      BROWSER: 'none',
    },
  },
  use: {
    baseURL: 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'off',
    actionTimeout: 30_000,
    navigationTimeout: 120_000,
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
