import {
  upstreamOutcomeForStatus,
  type UpstreamOutcome,
} from '../http/callUpstream';

/**
 * Why an Argo CD call failed: the upstream helper's outcomes, and the
 * client's own (an unexpected answer, an instance that is not configured,
 * a failed login).
 *
 * @public
 */
export type ArgoCdErrorKind =
  | Exclude<UpstreamOutcome, 'ok'>
  | 'malformed-response'
  | 'unknown-instance'
  | 'login-failed';

/**
 * A failed Argo CD call. The message names the instance and the cause and
 * never contains a credential: it is built from the status code and the
 * upstream's own error text, passed through the SecretRedactor. Routes and
 * actions turn it into an `@backstage/errors` error with
 * `toBackstageError(error.kind, error.message)`.
 *
 * @public
 */
export class ArgoCdError extends Error {
  readonly name = 'ArgoCdError';
  /** The configured instance name. */
  readonly instance: string;
  readonly kind: ArgoCdErrorKind;
  /** HTTP status of the upstream response, when there was one. */
  readonly status?: number;

  constructor(options: {
    instance: string;
    kind: ArgoCdErrorKind;
    message: string;
    status?: number;
  }) {
    super(`Argo CD instance "${options.instance}": ${options.message}`);
    this.instance = options.instance;
    this.kind = options.kind;
    this.status = options.status;
  }
}

/** True when the value is an ArgoCdError. @public */
export function isArgoCdError(value: unknown): value is ArgoCdError {
  return value instanceof ArgoCdError;
}

/** Maps an upstream HTTP status to an error kind. */
export function errorKindForStatus(status: number): ArgoCdErrorKind {
  const outcome = upstreamOutcomeForStatus(status);
  return outcome === 'ok' ? 'malformed-response' : (outcome as ArgoCdErrorKind);
}
