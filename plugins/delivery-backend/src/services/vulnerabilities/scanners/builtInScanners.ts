import type {
  SecretRedactor,
  DeliveryScanner,
} from '@gitops-delivery/backstage-plugin-delivery-node';
import type { SignalCache } from '../../signals/SignalCache';
import { createSnykClient } from '../SnykClient';
import { createTrivyReportClient } from '../TrivyReportClient';
import type { VulnerabilitiesConfig } from '../vulnerabilitiesConfig';
import { createSnykScanner } from './snykScanner';
import { createTrivyOperatorScanner } from './trivyOperatorScanner';
import { createTrivyScanner } from './trivyScanner';

/** Ids of the built-in scanners, in the order their sources are listed. */
export const BUILT_IN_SCANNER_IDS = ['trivy', 'trivy-operator', 'snyk'];

/**
 * The configured built-in scanners, in the order they run: Trivy Operator
 * first (its report names the digest it scanned), then Trivy, then Snyk.
 */
export function builtInScanners(
  config: VulnerabilitiesConfig,
  cache: SignalCache,
  options: {
    fetch?: typeof fetch;
    /** Learns the scanners' credentials; redacts their error texts. */
    redactor?: SecretRedactor;
  } = {},
): DeliveryScanner[] {
  const scanners: DeliveryScanner[] = [];
  if (config.trivyOperator.enabled) {
    scanners.push(createTrivyOperatorScanner());
  }
  if (config.trivy) {
    scanners.push(
      createTrivyScanner(createTrivyReportClient(config.trivy, options), cache),
    );
  }
  if (config.snyk) {
    scanners.push(
      createSnykScanner(
        createSnykClient(config.snyk, options),
        config.snyk,
        cache,
      ),
    );
  }
  return scanners;
}
