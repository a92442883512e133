import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  createSecretRedactor,
  type SecretRedactor,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import { createRedactingLogger } from './redactingLogger';

/**
 * The one redactor of a plugin instance, and the plugin's logger that passes
 * every line through it. The upstream clients register what they hold.
 */
export function createPluginRedaction(logger: LoggerService): {
  redactor: SecretRedactor;
  logger: LoggerService;
} {
  const redactor = createSecretRedactor({
    onTooShort: what =>
      logger.warn(
        `Delivery: ${what} is shorter than 6 characters, so it is not redacted from error texts and log lines; use a longer credential`,
      ),
  });
  return { redactor, logger: createRedactingLogger(logger, redactor) };
}
