import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ArgoError } from './errors';

/** The demo's Argo CD bearer token; the sandbox is a test double, so it is no secret. */
export const DEMO_ARGOCD_TOKEN = 'sandbox-demo-token';
/** The demo admin password for POST /api/v1/session. */
export const DEMO_ADMIN_PASSWORD = 'sandbox-password';

const b64 = (v: Buffer | string) => Buffer.from(v).toString('base64url');

function signingKey(instance: string) {
  // per-instance key: a session of one instance is not valid on the other
  return `sandbox-argocd-${instance}-signing-key`;
}

/** Issues an Argo CD session JWT (HS256, exp one hour ahead). */
export function issueSessionToken(
  instance: string,
  username: string,
  nowMs = Date.now(),
): string {
  const iat = Math.floor(nowMs / 1000);
  const header = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64(
    JSON.stringify({
      iss: 'argocd',
      sub: `${username}:login`,
      aud: 'argocd',
      exp: iat + 3600,
      nbf: iat,
      iat,
      jti: randomUUID(),
    }),
  );
  const sig = b64(
    createHmac('sha256', signingKey(instance))
      .update(`${header}.${payload}`)
      .digest(),
  );
  return `${header}.${payload}.${sig}`;
}

function verifyJwt(instance: string, token: string, nowMs: number): string {
  const parts = token.split('.');
  if (parts.length !== 3)
    throw new ArgoError(
      16,
      'invalid session: token contains an invalid number of segments',
    );
  const expected = createHmac('sha256', signingKey(instance))
    .update(`${parts[0]}.${parts[1]}`)
    .digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ArgoError(
      16,
      'invalid session: token signature is invalid: signature is invalid',
    );
  }
  let claims: { exp?: number; sub?: string };
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw new ArgoError(16, 'invalid session: token is malformed');
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) {
    throw new ArgoError(
      16,
      'invalid session: token has invalid claims: token is expired',
    );
  }
  return (claims.sub ?? 'admin').split(':')[0];
}

function cookieToken(req: IncomingMessage): string | undefined {
  const cookie = req.headers.cookie ?? '';
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === 'argocd.token') return v.join('=');
  }
  return undefined;
}

/**
 * Authenticates a request like argocd-server: a well-formed bearer first, a
 * malformed one is ignored and the `argocd.token` cookie tried. Returns the
 * user, or undefined when the request carries no session at all.
 */
export function authenticate(
  instance: string,
  req: IncomingMessage,
  nowMs = Date.now(),
): string | undefined {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  const token = m?.[1] ?? cookieToken(req);
  if (!token) return undefined;
  if (token === DEMO_ARGOCD_TOKEN) return 'admin';
  return verifyJwt(instance, token, nowMs);
}

/** Like authenticate, but a missing session is the 401 "no session information". */
export function requireSession(instance: string, req: IncomingMessage): string {
  const user = authenticate(instance, req);
  if (!user) throw new ArgoError(16, 'no session information');
  return user;
}
