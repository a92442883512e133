import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LARGE_VIEW } from './render/largeView';
import { median } from './lib/stats';

/** Results of the Chromium render benchmark. */
export interface ChromiumRenderResults {
  view: string;
  runs: number;
  browser: string;
  build: string;
  /** Mount to the full view (every section drawn), in ms, median. */
  firstRender: { wallMs: number; scriptingMs: number };
  /** Switching the signals to another environment, until it is drawn. */
  environmentSwitch: { wallMs: number; scriptingMs: number };
  /** Expanding an audit row to its gates. */
  auditRowExpand: { wallMs: number; scriptingMs: number };
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Bundles the harness page with React's production build. */
async function buildHarness(dir: string): Promise<string> {
  // eslint-disable-next-line @backstage/no-undeclared-imports -- esbuild comes with the Backstage CLI
  const esbuild = require('esbuild') as typeof import('esbuild');
  mkdirSync(dir, { recursive: true });
  await esbuild.build({
    // eslint-disable-next-line no-restricted-syntax -- bench runs from source, never bundled
    entryPoints: [resolve(__dirname, 'chromium', 'harness.tsx')],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    outfile: resolve(dir, 'harness.js'),
    jsx: 'automatic',
    define: {
      'process.env.NODE_ENV': '"production"',
      global: 'globalThis',
    },
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.css': 'css' },
    logLevel: 'error',
  });
  const html = resolve(dir, 'index.html');
  writeFileSync(
    html,
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Delivery render bench</title></head><body><script src="harness.js"></script></body></html>',
  );
  return pathToFileURL(html).href;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The large view in Chromium (Debian's, through playwright-core) from a
 * production build of a harness page: mount to the full view, an
 * environment switch and an audit row expanding, each `runs` times after a
 * warm-up; wall time from the Performance API in the page, scripting time
 * from Chrome's ScriptDuration counter around each step.
 */
export async function runChromiumRender(
  log: (line: string) => void,
  runs = Number(process.env.BENCH_RENDERS ?? '20'),
): Promise<ChromiumRenderResults> {
  // eslint-disable-next-line no-restricted-syntax -- bench runs from source, never bundled
  const dir = resolve(__dirname, '..', '.tmp', 'chromium');
  log(
    'render (Chromium): bundling the harness page (esbuild, production React)',
  );
  const url = await buildHarness(dir);
  const { chromium } =
    // eslint-disable-next-line @backstage/no-undeclared-imports -- a root devDependency, like e2e's
    require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ARGS,
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 900 },
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const scripting = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return (
        (metrics.find(m => m.name === 'ScriptDuration')?.value ?? 0) * 1000
      );
    };
    await page.goto(url);
    await page.waitForFunction(() => Boolean(window.deliveryBench));
    const measure = async (step: () => Promise<number>) => {
      const before = await scripting();
      const wallMs = await step();
      return { wallMs, scriptingMs: (await scripting()) - before };
    };
    const first: Array<{ wallMs: number; scriptingMs: number }> = [];
    const switches: typeof first = [];
    const expands: typeof first = [];
    for (let i = 0; i <= runs; i++) {
      const mount = await measure(() =>
        page.evaluate(() => window.deliveryBench.mount()),
      );
      const name = `env-${i % 9}`; // the view opens on env-9
      const change = await measure(() =>
        page.evaluate(n => window.deliveryBench.switchEnvironment(n), name),
      );
      const expand = await measure(() =>
        page.evaluate(() => window.deliveryBench.toggleAuditRow()),
      );
      if (i === 0) continue; // warm-up: parse, JIT and first layout, not counted
      first.push(mount);
      switches.push(change);
      expands.push(expand);
    }
    await page.evaluate(() => window.deliveryBench.unmount());
    const summary = (xs: typeof first) => ({
      wallMs: round(median(xs.map(x => x.wallMs))),
      scriptingMs: round(median(xs.map(x => x.scriptingMs))),
    });
    const result: ChromiumRenderResults = {
      view: LARGE_VIEW,
      runs,
      browser: `Chromium ${browser.version()} (headless)`,
      build: 'harness page, esbuild, React production build',
      firstRender: summary(first),
      environmentSwitch: summary(switches),
      auditRowExpand: summary(expands),
    };
    log(
      `  median of ${runs}: first render ${result.firstRender.scriptingMs} ms scripting (${result.firstRender.wallMs} ms wall), environment switch ${result.environmentSwitch.scriptingMs} ms (${result.environmentSwitch.wallMs} ms), audit row ${result.auditRowExpand.scriptingMs} ms (${result.auditRowExpand.wallMs} ms)`,
    );
    return result;
  } finally {
    await browser.close();
  }
}

// `yarn workspace bench render:chromium`: this part alone
if (require.main === module) {
  runChromiumRender(line => console.log(line)) // eslint-disable-line no-console
    .then(r => console.log(JSON.stringify(r, null, 2))) // eslint-disable-line no-console
    .catch(error => {
      console.error(error); // eslint-disable-line no-console
      process.exitCode = 1;
    });
}
