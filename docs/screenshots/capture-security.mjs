// Captures the security layers (issue 19) from the running demo (npm start):
// checkout switched to each of the sandbox's security scenarios — a new HIGH
// CodeQL alert in the canary's commit (sast-new-high), a HIGH Checkov check
// of its manifests (iac-high), and a Critical Falco detection in a canary Pod
// (runtime-critical, which the canary guard aborts) — with the Security
// layers and the findings table, and the promotion gates that checkout's
// `secure` policy (app-config.yaml) judges them by. Run: node
// docs/screenshots/capture-security.mjs (Chromium from CHROMIUM, default
// /usr/bin/chromium).
import { sandboxControl } from 'sandbox/control-client.mjs';
import {
  APP,
  SANDBOX,
  card,
  log,
  openSignedIn,
  shoot,
  sleep,
} from './demoBrowser.mjs';

const control = sandboxControl(SANDBOX);

/** Opens checkout's tab and reloads until `text` shows in the Security card. */
async function openUntil(page, text) {
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${APP}/catalog/default/component/checkout/delivery`, {
      waitUntil: 'domcontentloaded',
    });
    try {
      await page
        .getByRole('heading', { name: 'Security layers' })
        .waitFor({ timeout: 120_000 });
      await page.getByText(text).first().waitFor({ timeout: 30_000 });
      return;
    } catch (error) {
      if (attempt === 6) throw error;
      log(`"${text}" not shown yet (attempt ${attempt})`);
    }
  }
}

const { browser, page } = await openSignedIn();
try {
  const scenarios = [
    ['sast-new-high', 'js/sql-injection', '9-checkout-sast-new-high'],
    ['iac-high', 'CKV_K8S_20', '9b-checkout-iac-high'],
    [
      'runtime-critical',
      'Drop and execute new binary in container',
      '9c-checkout-runtime-critical',
    ],
  ];
  for (const [scenario, marker, file] of scenarios) {
    log(`checkout: ${scenario}`);
    await control.setScenario('checkout', scenario);
    // runtime-critical's detections fire 45-90 simulated seconds in
    if (scenario === 'runtime-critical') await control.advance(120);
    await openUntil(page, marker);
    await shoot(card(page, 'Vulnerabilities · production'), `${file}.png`);
    await shoot(
      card(page, 'Promotion gates · production'),
      `${file}-gates.png`,
    );
  }
} finally {
  await control
    .setScenario('checkout', 'healthy-canary')
    .catch(() => undefined);
  await browser.close();
}
