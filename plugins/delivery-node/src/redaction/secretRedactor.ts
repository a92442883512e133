/**
 * Knows every credential a backend holds or obtains and removes it, in every
 * form an upstream may echo it, from texts and errors. The backend plugin,
 * the scaffolder module and the upstream HTTP helper share it.
 *
 * @public
 */
export interface SecretRedactor {
  /**
   * Registers a credential: a configured token, password or header value,
   * or one obtained by a login. `what` names it in the start-up warning
   * about values too short to redact (never the value itself).
   */
  register(
    value: string | undefined,
    options?: { what?: string; obtained?: boolean },
  ): void;
  /** Registers a username/password pair (also as HTTP basic auth). */
  registerBasicAuth(
    username: string | undefined,
    password: string | undefined,
    what?: string,
  ): void;
  /** The text with every registered credential replaced by `***`. */
  redact(text: string): string;
  /**
   * Redacts an error in place (message, stack, cause and other own fields)
   * and returns it; a string is returned redacted; other values unchanged.
   */
  redactError<T>(error: T): T;
}

/** Options of createSecretRedactor. @public */
export interface SecretRedactorOptions {
  /** Values shorter than this are not redacted (default 6). */
  minLength?: number;
  /** Called when a registered value is too short to be redacted. */
  onTooShort?(what: string): void;
  /** Obtained values (session tokens) kept; the oldest are dropped (default 256). */
  maxObtained?: number;
}

const MASK = '***';
const SCHEME = /^(bearer|token|basic)\s+(\S+)$/i;

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
}

function fromBase64(text: string): string | undefined {
  try {
    const binary = atob(text);
    const bytes = Uint8Array.from(binary, c => c.charCodeAt(0));
    const decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return /^[\x20-\x7e]+$/.test(decoded) ? decoded : undefined;
  } catch {
    return undefined;
  }
}

/** The forms in which an upstream may echo a value. */
function variants(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  // Go's encoding/json escapes <, > and & (Argo CD is written in Go); some
  // encoders escape `/` too.
  const goJson = json.replace(
    /[<>&\u2028\u2029]/g,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const uri = encodeURIComponent(value);
  return [
    value,
    uri,
    uri.replace(/%20/g, '+'),
    json,
    goJson,
    json.replace(/\//g, '\\/'),
    goJson.replace(/\//g, '\\/'),
    base64(value),
  ];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Creates a redactor with no credential registered yet. @public */
export function createSecretRedactor(
  options: SecretRedactorOptions = {},
): SecretRedactor {
  const minLength = options.minLength ?? 6;
  const maxObtained = options.maxObtained ?? 256;
  const configured = new Set<string>();
  const obtained: string[] = [];
  const warned = new Set<string>();
  let pattern: RegExp | undefined;
  let dirty = false;

  const build = (): RegExp | undefined => {
    if (dirty) {
      const all = new Set<string>();
      for (const value of [...configured, ...obtained]) {
        for (const v of variants(value)) all.add(v);
      }
      const sorted = [...all].sort((a, b) => b.length - a.length);
      pattern = sorted.length
        ? new RegExp(sorted.map(escapeRegExp).join('|'), 'g')
        : undefined;
      dirty = false;
    }
    return pattern;
  };

  const add = (value: string, what: string, isObtained: boolean) => {
    if (value.length < minLength) {
      if (!warned.has(what)) {
        warned.add(what);
        options.onTooShort?.(what);
      }
      return;
    }
    if (configured.has(value) || obtained.includes(value)) return;
    if (isObtained) {
      obtained.push(value);
      if (obtained.length > maxObtained) obtained.shift();
    } else {
      configured.add(value);
    }
    dirty = true;
  };

  const register: SecretRedactor['register'] = (value, opts = {}) => {
    if (!value) return;
    const what = opts.what ?? 'a credential';
    const isObtained = Boolean(opts.obtained);
    add(value, what, isObtained);
    // A header value such as `Bearer <t>`, `token <t>` or `Basic <b64>`:
    // an upstream may echo the credential without its scheme.
    const scheme = SCHEME.exec(value.trim());
    if (scheme) {
      add(scheme[2], what, isObtained);
      if (scheme[1].toLowerCase() === 'basic') {
        const decoded = fromBase64(scheme[2]);
        if (decoded) {
          add(decoded, what, isObtained);
          const colon = decoded.indexOf(':');
          if (colon >= 0) add(decoded.slice(colon + 1), what, isObtained);
        }
      }
    }
  };

  const redact = (text: string): string => {
    const re = build();
    return re && text ? text.replace(re, MASK) : text;
  };

  function redactDeep(value: unknown, seen: Set<unknown>): unknown {
    if (typeof value === 'string') return redact(value);
    if (typeof value !== 'object' || value === null || seen.has(value)) {
      return value;
    }
    seen.add(value);
    if (value instanceof Error) return redactErrorIn(value, seen);
    if (Array.isArray(value)) return value.map(v => redactDeep(v, seen));
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactDeep(v, seen)]),
    );
  }

  function redactErrorIn(error: Error, seen: Set<unknown>): Error {
    const keys = new Set<string>([
      'message',
      'stack',
      'cause',
      ...Object.keys(error),
    ]);
    for (const key of keys) {
      const current = (error as unknown as Record<string, unknown>)[key];
      if (current === undefined) continue;
      const next = redactDeep(current, seen);
      if (next === current) continue;
      try {
        Object.defineProperty(error, key, {
          value: next,
          writable: true,
          configurable: true,
          enumerable: Object.prototype.propertyIsEnumerable.call(error, key),
        });
      } catch {
        // a frozen error: its text cannot be changed, so it must not travel
        return new Error(redact(error.message));
      }
    }
    return error;
  }

  return {
    register,
    registerBasicAuth(username, password, what = 'a password') {
      if (!password) return;
      register(password, { what });
      if (username)
        register(`Basic ${base64(`${username}:${password}`)}`, { what });
    },
    redact,
    redactError<T>(error: T): T {
      if (typeof error === 'string') return redact(error) as T;
      if (error instanceof Error) {
        return redactErrorIn(error, new Set([error])) as T;
      }
      return error;
    },
  };
}
