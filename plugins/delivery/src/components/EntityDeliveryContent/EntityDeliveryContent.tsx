import type { Entity } from '@backstage/catalog-model';
import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_SELECTOR,
  isDeliveryAvailable,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { Alert } from '@material-ui/lab';
import { useCallback, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { useDeliveryOverview, usePolicy } from '../../hooks';
import { changingRollout } from '../../lib/headline';
import { ApplicationsCard } from '../ApplicationActions';
import { AuditTable } from '../AuditTable';
import { DeploymentCard } from '../DeploymentPanel';
import { DriftCard, driftedEnvironments } from '../Drift';
import { EnvironmentLadder } from '../EnvironmentLadder';
import { SourceStatusPanel } from '../common/SourceStatusPanel';
import { RefreshBar } from './RefreshBar';
import { RolloutCard, rolloutCardOpen } from './RolloutCard';
import { defaultSignalsEnvironment, SignalsSection } from './SignalsSection';

/** Props of the Delivery tab. @public */
export interface EntityDeliveryContentProps {
  /** Refresh interval while a rollout progresses; default 15 s. */
  pollIntervalMs?: number;
}

function DeliveryView(props: { entity: Entity; pollIntervalMs?: number }) {
  const { entity } = props;
  const overview = useDeliveryOverview(entity, {
    pollIntervalMs: props.pollIntervalMs,
  });
  const [auditKey, setAuditKey] = useState(0);
  const { value, error, loading } = overview;
  // `?environment=production` opens that environment and its signals
  const named = new URLSearchParams(useLocation().search).get('environment');
  // the blocked environment's evaluation, so its headline can say what the
  // blocking gate still needs ("the soak: 3.8 of 10 min")
  const blocked = value?.environments.find(env => {
    const policy = env.summary?.policy;
    return changingRollout(env) && policy && !policy.allowed;
  });
  const blockedPolicy = usePolicy(entity, blocked?.name, value?.generatedAt);
  const blockedEvaluation = blockedPolicy.value?.evaluations.find(
    e => !e.allowed,
  );

  const { refresh } = overview;
  const onActionDone = useCallback(() => {
    refresh();
    setAuditKey(k => k + 1);
  }, [refresh]);

  if (loading && !value) return <Progress />;
  if (error && !value) {
    return (
      <ResponseErrorPanel
        title="The delivery view could not be loaded"
        error={error}
      />
    );
  }
  if (!value) return null;

  // the environment in focus: the URL's, else the one the signals open on
  const focus = named ?? defaultSignalsEnvironment(value.environments);
  const rolloutCards = value.environments.flatMap((env, i) =>
    env.rollouts.map(rollout => ({
      env: env.name,
      rollout,
      previous: value.environments[i - 1]?.name,
    })),
  );

  return (
    // data-testid: the end-to-end suite scopes its accessibility check to the tab
    <Grid container spacing={3} data-testid="delivery-tab">
      <Grid item xs={12}>
        <RefreshBar state={overview} generatedAt={value.generatedAt} />
        {value.warnings.map(w => (
          <Box mt={1} key={w}>
            <Alert severity="warning">{w}</Alert>
          </Box>
        ))}
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Environments">
          <SourceStatusPanel
            sources={value.sources}
            kinds={['argocd', 'github']}
          />
          <EnvironmentLadder
            environments={value.environments}
            selected={named}
            evaluations={
              blocked && blockedEvaluation
                ? { [blocked.name]: blockedEvaluation }
                : undefined
            }
          />
        </InfoCard>
      </Grid>
      {driftedEnvironments(value.environments).map(env => (
        <Grid item xs={12} key={`drift/${env}`}>
          <DriftCard
            entity={entity}
            environment={env}
            refreshKey={value.generatedAt}
          />
        </Grid>
      ))}
      {rolloutCards.map(({ env, rollout, previous }) => (
        <Grid item xs={12} key={`${env}/${rollout.instance}/${rollout.name}`}>
          <RolloutCard
            entity={entity}
            environment={env}
            rollout={rollout}
            defaultOpen={rolloutCardOpen(rollout, env, focus)}
            receivedAt={overview.updatedAt}
            onActionDone={onActionDone}
            previousEnvironment={previous}
          />
        </Grid>
      ))}
      {value.environments.flatMap(env =>
        (env.deployments ?? []).map(deployment => (
          <Grid
            item
            xs={12}
            key={`${env.name}/${deployment.instance}/deployment/${deployment.namespace}/${deployment.name}`}
          >
            <DeploymentCard environment={env.name} deployment={deployment} />
          </Grid>
        )),
      )}
      <Grid item xs={12}>
        <ApplicationsCard
          entity={entity}
          environments={value.environments}
          onActionDone={onActionDone}
        />
      </Grid>
      <Grid item xs={12}>
        <SignalsSection
          entity={entity}
          environments={value.environments}
          refreshKey={value.generatedAt}
          initial={named ?? undefined}
        />
      </Grid>
      <Grid item xs={12}>
        {/* a change signal (e.g. the guard's abort) refetches it too */}
        <AuditTable
          entity={entity}
          refreshKey={`${auditKey}/${overview.changes}`}
        />
      </Grid>
    </Grid>
  );
}

/**
 * The Delivery tab of an entity page: environments and stages, rollouts,
 * SLOs, vulnerabilities, policy gates, actions and the audit trail.
 *
 * @public
 */
export function EntityDeliveryContent(props: EntityDeliveryContentProps) {
  const { entity } = useEntity();
  if (!isDeliveryAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={[
          ANNOTATION_ARGOCD_APP_NAME,
          ANNOTATION_ARGOCD_APP_SELECTOR,
        ]}
      />
    );
  }
  return <DeliveryView entity={entity} pollIntervalMs={props.pollIntervalMs} />;
}
