import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type { SecretRedactor } from '@gitops-delivery/backstage-plugin-delivery-node';

function redactMeta(
  redactor: SecretRedactor,
  meta: Error | JsonObject | undefined,
): Error | JsonObject | undefined {
  if (meta === undefined) return undefined;
  if (meta instanceof Error) return redactor.redactError(meta);
  // A plain object: redact a copy, never the caller's object.
  return Object.fromEntries(
    Object.entries(meta).map(([key, value]) => [
      key,
      redactValue(redactor, value),
    ]),
  ) as JsonObject;
}

function redactValue(redactor: SecretRedactor, value: unknown): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (value instanceof Error) return redactor.redactError(value);
  if (Array.isArray(value)) return value.map(v => redactValue(redactor, v));
  if (value && typeof value === 'object') {
    return redactMeta(redactor, value as JsonObject);
  }
  return value;
}

/**
 * The plugin's logger with every line (message, meta, errors' message and
 * stack, child meta) passed through the redactor first.
 */
export function createRedactingLogger(
  logger: LoggerService,
  redactor: SecretRedactor,
): LoggerService {
  const level =
    (write: LoggerService['info']) =>
    (message: string, meta?: Error | JsonObject) =>
      write(redactor.redact(String(message)), redactMeta(redactor, meta));
  return {
    error: level(logger.error.bind(logger)),
    warn: level(logger.warn.bind(logger)),
    info: level(logger.info.bind(logger)),
    debug: level(logger.debug.bind(logger)),
    child: meta =>
      createRedactingLogger(
        logger.child(redactMeta(redactor, meta) as JsonObject),
        redactor,
      ),
  };
}
