// What the screenshot scripts share: the demo's addresses, a log line with
// the time, Debian's Chromium (never downloaded; CHROMIUM overrides the
// path) with a 1440×1000 page signed in as guest, and how a card is found
// and shot into this folder.
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** This folder, where the screenshots are written. */
export const OUT = fileURLToPath(new URL('.', import.meta.url));

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

/** The InfoCard whose header reads `title`. */
export function card(page, title) {
  return page
    .getByText(title, { exact: true })
    .first()
    .locator('xpath=ancestor::div[contains(@class,"MuiCard-root")][1]');
}

/** Scrolls `locator` into view and writes its screenshot to OUT/`file`. */
export async function shoot(locator, file) {
  await locator.scrollIntoViewIfNeeded();
  await sleep(1500);
  await locator.screenshot({ path: `${OUT}${file}` });
  log(`wrote ${file}`);
}
