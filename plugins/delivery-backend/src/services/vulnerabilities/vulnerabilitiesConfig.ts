import type { Config } from '@backstage/config';
import { readDurationKey } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { SnykConfig } from './SnykClient';
import {
  FALCOSIDEKICK_EVENTS_METRIC,
  type FalcoConfig,
} from './scanners/falcoScanner';
import type { TrivyConfig } from './TrivyReportClient';
import type { SnykOpenSourceConfig } from './scanners/snykOpenSourceScanner';
import {
  DEFAULT_IAC_TOOLS,
  type GithubSecurityConfig,
} from './github/githubSecurityScanners';

/** `delivery.trivy`, `delivery.snyk` and `delivery.trivyOperator`, read once. @public */
export interface VulnerabilitiesConfig {
  trivy?: TrivyConfig;
  snyk?: SnykConfig;
  /** Read Trivy Operator VulnerabilityReports from the Argo CD resource tree. */
  trivyOperator: {
    enabled: boolean;
    /** Also read its ConfigAuditReports (the IaC layer). */
    configAudit: boolean;
  };
  /** Runtime detections (Falco through Prometheus); absent: no runtime layer. */
  falco?: FalcoConfig;
  /** Snyk Open Source projects of the repository (SCA); absent: off. */
  snykOpenSource?: SnykOpenSourceConfig;
  /** SAST, SCA and IaC from GitHub code scanning and Dependabot; absent: off. */
  githubSecurity?: GithubSecurityConfig;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_SNYK_URL = 'https://api.snyk.io/rest';
const DEFAULT_SNYK_VERSION = '2024-10-15';

function httpUrl(value: string, key: string): string {
  const url = value.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(url)) {
    throw new Error(`${key} must start with http:// or https://`);
  }
  return url;
}

/** `timeoutMs`: milliseconds, or a duration (`{ seconds: 5 }`, `5s`). */
const timeoutOf = (from: Config, prefix: string) =>
  readDurationKey(from, 'timeoutMs', {
    numberUnit: 'milliseconds',
    fallbackMs: DEFAULT_TIMEOUT_MS,
    prefix,
  });

/** Reads the scanner configuration; an absent block disables that source. @public */
export function readVulnerabilitiesConfig(
  config: Config,
): VulnerabilitiesConfig {
  const delivery = config.getOptionalConfig('delivery');
  const trivy = delivery?.getOptionalConfig('trivy');
  const snyk = delivery?.getOptionalConfig('snyk');
  const headers: Record<string, string> = {};
  const headersConfig = trivy?.getOptionalConfig('headers');
  for (const key of headersConfig?.keys() ?? []) {
    headers[key] = headersConfig!.getString(key);
  }
  const apiVersion =
    snyk?.getOptionalString('apiVersion') ?? DEFAULT_SNYK_VERSION;
  if (!/^\d{4}-\d{2}-\d{2}(~(beta|experimental))?$/.test(apiVersion)) {
    throw new Error(
      'delivery.snyk.apiVersion must be a date such as 2024-10-15',
    );
  }
  return {
    trivy: trivy && {
      reportStoreUrl: httpUrl(
        trivy.getString('reportStoreUrl'),
        'delivery.trivy.reportStoreUrl',
      ),
      headers,
      timeoutMs: timeoutOf(trivy, 'delivery.trivy'),
    },
    snyk: snyk && {
      url: httpUrl(
        snyk.getOptionalString('url') ?? DEFAULT_SNYK_URL,
        'delivery.snyk.url',
      ),
      token: snyk.getString('token'),
      orgId: snyk.getOptionalString('orgId'),
      apiVersion,
      timeoutMs: timeoutOf(snyk, 'delivery.snyk'),
      maxPages: snyk.getOptionalNumber('maxPages') ?? 10,
    },
    trivyOperator: {
      enabled: delivery?.getOptionalBoolean('trivyOperator.enabled') ?? true,
      configAudit:
        delivery?.getOptionalBoolean('trivyOperator.configAudit') ?? true,
    },
    falco: readFalcoConfig(delivery?.getOptionalConfig('falco')),
    snykOpenSource: readSnykOpenSource(snyk?.getOptionalConfig('openSource')),
    githubSecurity: readGithubSecurityConfig(
      delivery?.getOptionalConfig('githubSecurity'),
    ),
  };
}

function readSnykOpenSource(
  openSource: Config | undefined,
): SnykOpenSourceConfig | undefined {
  if (!openSource || openSource.getOptionalBoolean('enabled') === false)
    return undefined;
  const manifests = openSource.getOptionalStringArray('manifests') ?? [
    'package.json',
  ];
  for (const m of manifests) {
    if (!/^[\w.@/-]{1,200}$/.test(m) || m.includes('..')) {
      throw new Error(
        `delivery.snyk.openSource.manifests: "${m}" is not a manifest path`,
      );
    }
  }
  return { manifests };
}

function readGithubSecurityConfig(
  github: Config | undefined,
): GithubSecurityConfig | undefined {
  if (!github || github.getOptionalBoolean('enabled') === false)
    return undefined;
  const maxPages = github.getOptionalNumber('maxPages') ?? 5;
  if (!(Number.isInteger(maxPages) && maxPages >= 1 && maxPages <= 50)) {
    throw new Error(
      'delivery.githubSecurity.maxPages must be a whole number from 1 to 50',
    );
  }
  const iacTools = github.getOptionalStringArray('iacTools');
  return {
    host: github.getOptionalString('host') ?? 'github.com',
    timeoutMs: timeoutOf(github, 'delivery.githubSecurity'),
    maxPages,
    codeScanning: github.getOptionalBoolean('codeScanning') ?? true,
    dependabot: github.getOptionalBoolean('dependabot') ?? true,
    iacTools: (iacTools ?? DEFAULT_IAC_TOOLS).map(t => t.trim().toLowerCase()),
  };
}

function readFalcoConfig(falco: Config | undefined): FalcoConfig | undefined {
  if (!falco || falco.getOptionalBoolean('enabled') === false) return undefined;
  const metric =
    falco.getOptionalString('metric') ?? FALCOSIDEKICK_EVENTS_METRIC;
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(metric)) {
    throw new Error(
      `delivery.falco.metric must be a Prometheus metric name, got "${metric}"`,
    );
  }
  const windowMinutes = falco.getOptionalNumber('windowMinutes') ?? 10;
  if (!(windowMinutes >= 1 && windowMinutes <= 1440)) {
    throw new Error('delivery.falco.windowMinutes must be between 1 and 1440');
  }
  const url = falco.getOptionalString('url');
  return {
    metric,
    prometheus: falco.getOptionalString('prometheus'),
    windowMinutes,
    presenceQuery: falco.getOptionalString('presenceQuery'),
    ...(url ? { url: httpUrl(url, 'delivery.falco.url') } : {}),
  };
}
