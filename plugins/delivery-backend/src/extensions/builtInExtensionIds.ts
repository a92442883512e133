import { BUILT_IN_GATE_SCHEMAS } from '@gitops-delivery/backstage-plugin-delivery-node';
import { PROMETHEUS_PROVIDER_ID } from '../services/prometheus/prometheusProvider';
import {
  BUILT_IN_SCANNER_IDS,
  BUILT_IN_SECURITY_SCANNER_IDS,
} from '../services/vulnerabilities/scanners/builtInScanners';

/**
 * Ids the built-ins register under, which a module cannot take: the
 * built-in scanners, gate kinds, metrics provider and CI providers.
 */
export const BUILT_IN_EXTENSION_IDS = {
  scanners: [...BUILT_IN_SCANNER_IDS, ...BUILT_IN_SECURITY_SCANNER_IDS],
  gateKinds: BUILT_IN_GATE_SCHEMAS.map(k => k.kind),
  metricsProviders: [PROMETHEUS_PROVIDER_ID],
  ciProviders: ['github', 'gitlab'],
};
