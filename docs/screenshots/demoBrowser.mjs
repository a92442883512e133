// What the screenshot scripts share: the demo's addresses, a log line with
// the time, and Debian's Chromium (never downloaded; CHROMIUM overrides the
// path) with a 1440×1000 page signed in as guest.
import { chromium } from 'playwright-core';

export const APP = process.env.APP_URL ?? 'http://localhost:3000';
export const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:7171';

export const sleep = ms => new Promise(r => setTimeout(r, ms));
export const log = message =>
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

/** Launches Chromium and opens the demo signed in as guest. */
export async function openSignedIn() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({
    viewport: { width: 1440, height: 1000 },
  });
  page.setDefaultTimeout(60_000);
  log('signing in as guest');
  await page.goto(APP, { waitUntil: 'domcontentloaded' });
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.waitFor({ timeout: 240_000 });
  await enter.click();
  await page
    .getByRole('heading', { name: /Catalog/ })
    .first()
    .waitFor();
  return { browser, page };
}
