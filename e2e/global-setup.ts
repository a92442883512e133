// Playwright's webServer waits for the app on :3000 only; the backend and
// its catalog ingestion may still be starting. Wait until the backend is
// ready and the demo entities are in the catalog.
const BACKEND = 'http://localhost:7007';

async function until<T>(what: string, fn: () => Promise<T | undefined>) {
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

export default async function globalSetup() {
  await until('the backend to be ready', async () =>
    (
      await fetch(`${BACKEND}/.backstage/health/v1/readiness`)
    ).ok
      ? true
      : undefined,
  );
  const token = await until('a guest token', async () => {
    const res = await fetch(`${BACKEND}/api/auth/guest/refresh`);
    return res.ok
      ? ((await res.json()).backstageIdentity.token as string)
      : undefined;
  });
  await until('the demo entities in the catalog', async () => {
    const res = await fetch(
      `${BACKEND}/api/catalog/entities/by-name/component/default/checkout`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    return res.ok ? true : undefined;
  });
}
