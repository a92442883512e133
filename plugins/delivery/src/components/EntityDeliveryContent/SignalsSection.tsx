import type { Entity } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import type { EnvironmentView } from '@gitops-delivery/backstage-plugin-delivery-common';
import Grid from '@material-ui/core/Grid';
import { useState } from 'react';
import { useMetrics, usePolicy, useVulnerabilities } from '../../hooks';
import { PolicyGates } from '../PolicyGates';
import { SloCharts } from '../SloCharts';
import { VulnerabilitySummary } from '../Vulnerabilities';
import { EnvironmentTabs } from './EnvironmentTabs';

/** The environment the signals open on: the last one with a rollout, else the last one. */
export function defaultSignalsEnvironment(
  environments: EnvironmentView[],
): string | undefined {
  const withRollouts = environments.filter(e => e.rollouts.length);
  return (
    withRollouts[withRollouts.length - 1] ??
    environments[environments.length - 1]
  )?.name;
}

/**
 * SLO charts, vulnerabilities and policy gates of one environment; each
 * section loads and fails on its own, so one broken upstream leaves the
 * others working.
 */
export function SignalsSection(props: {
  entity: Entity;
  environments: EnvironmentView[];
  refreshKey: string;
  /** The environment to open on (the URL's), else the default. */
  initial?: string;
}) {
  const { entity, environments, refreshKey } = props;
  const [selected, setSelected] = useState<string | undefined>(props.initial);
  const environment =
    selected && environments.some(e => e.name === selected)
      ? selected
      : defaultSignalsEnvironment(environments);
  const metrics = useMetrics(entity, environment, refreshKey);
  const vulnerabilities = useVulnerabilities(entity, environment, refreshKey);
  const policy = usePolicy(entity, environment, refreshKey);
  if (!environment) return null;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <EnvironmentTabs
          names={environments.map(env => env.name)}
          selected={environment}
          onSelect={setSelected}
          label="Environment of the signals below"
        />
      </Grid>
      <Grid item xs={12} lg={8}>
        <InfoCard title={`SLOs · ${environment}`}>
          <SloCharts state={metrics} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={4}>
        <InfoCard title={`Promotion gates · ${environment}`}>
          <PolicyGates state={policy} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title={`Vulnerabilities · ${environment}`}>
          <VulnerabilitySummary state={vulnerabilities} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
