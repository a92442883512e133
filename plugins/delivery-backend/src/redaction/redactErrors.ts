import type { SecretRedactor } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { ErrorRequestHandler } from 'express';

/**
 * An express error handler that redacts an error (message, stack, cause)
 * before Backstage's error middleware serializes and logs it.
 */
export function redactErrors(redactor: SecretRedactor): ErrorRequestHandler {
  return (error, _req, _res, next) => next(redactor.redactError(error));
}
