import type { ArgoCdInstanceConfig } from '../config/readArgoCdConfig';
import {
  callUpstream,
  UpstreamTransportError,
  type UpstreamCallMetrics,
} from '../http/callUpstream';
import type { SecretRedactor } from '../redaction/secretRedactor';
import { ArgoCdError } from './ArgoCdError';

/** Supplies the bearer token of one Argo CD instance. */
export interface TokenProvider {
  /** A token to send; logs in first when needed (one login at a time). */
  getToken(): Promise<string>;
  /** Drops a session token that the instance rejected. */
  invalidate(): void;
  /** True when the token is a session token that a new login can replace. */
  readonly renewable: boolean;
}

// Renew a session this long before its `exp`, so a token never expires in flight.
const EXPIRY_MARGIN_MS = 60_000;
// Argo CD session JWTs carry `exp`; when one does not, re-login after this.
const DEFAULT_SESSION_MS = 10 * 60_000;

/** Reads the `exp` claim (seconds) of a JWT, if any. */
export function jwtExpiryMs(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates the token provider of an instance: its static token, or a session
 * token obtained once from `POST /api/v1/session` with the configured
 * username and password and kept until shortly before it expires.
 */
export function createTokenProvider(
  instance: ArgoCdInstanceConfig,
  options: {
    timeoutMs: number;
    redactor: SecretRedactor;
    now?: () => number;
    metrics?: UpstreamCallMetrics;
  },
): TokenProvider {
  const now = options.now ?? Date.now;
  const { redactor } = options;
  if (instance.token) {
    const token = instance.token;
    return {
      renewable: false,
      getToken: async () => token,
      invalidate: () => {},
    };
  }
  if (!instance.username || !instance.password) {
    return {
      renewable: false,
      getToken: async () => {
        throw new ArgoCdError({
          instance: instance.name,
          kind: 'login-failed',
          message: 'no token and no username/password are configured',
        });
      },
      invalidate: () => {},
    };
  }
  const { username, password } = instance;
  let session: { token: string; expiresAt: number } | undefined;
  let login: Promise<string> | undefined;

  const fail = (message: string, status?: number) =>
    new ArgoCdError({
      instance: instance.name,
      kind: 'login-failed',
      status,
      message: redactor.redact(`login failed: ${message}`),
    });

  const doLogin = async (): Promise<string> => {
    let text: string;
    try {
      const response = await callUpstream({
        what: 'POST /api/v1/session',
        url: `${instance.url}/api/v1/session`,
        method: 'POST',
        headers: { Accept: 'application/json' },
        body: { username, password },
        timeoutMs: options.timeoutMs,
        redactor,
        metrics: options.metrics,
        route: 'POST /api/v1/session',
        instance: instance.name,
      });
      if (!response.ok) {
        throw fail(`HTTP ${response.status}`, response.status);
      }
      text = response.text;
    } catch (error) {
      if (!(error instanceof UpstreamTransportError)) throw error;
      throw fail(
        error.kind === 'timeout'
          ? `no answer within ${options.timeoutMs} ms`
          : 'the server is unreachable',
      );
    }
    let token: unknown;
    try {
      token = (JSON.parse(text) as { token?: unknown })?.token;
    } catch {
      throw fail('the response is not JSON');
    }
    if (typeof token !== 'string' || !token) {
      throw fail('the response has no token');
    }
    // Before the first call sends it: an upstream may echo it back.
    redactor.register(token, {
      obtained: true,
      what: `the session token of Argo CD instance "${instance.name}"`,
    });
    session = {
      token,
      expiresAt:
        (jwtExpiryMs(token) ?? now() + DEFAULT_SESSION_MS) - EXPIRY_MARGIN_MS,
    };
    return token;
  };

  return {
    renewable: true,
    async getToken() {
      if (session && session.expiresAt > now()) return session.token;
      if (!login) {
        login = doLogin().finally(() => {
          login = undefined;
        });
      }
      return login;
    },
    invalidate() {
      session = undefined;
    },
  };
}
