import { useEntity } from '@backstage/plugin-catalog-react';
import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_SELECTOR,
  isDeliveryAvailable,
  type EnvironmentView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import type { Entity } from '@backstage/catalog-model';
import { useDeliveryOverview } from '../../hooks';
import { rolloutState, stepLabel } from '../../lib/rollout';
import { currentStage, STAGE_TITLES } from '../../lib/stages';
import { SourceStatusPanel } from '../common/SourceStatusPanel';
import { WorstLayerCell } from '../Security';
import { StatusLabel } from '../common/StatusLabel';
import { ROLLOUT_TONES, STAGE_TONES } from '../common/tones';

/** The gates column: nothing to promote, all gates pass, or what blocks. */
export function PolicyCell(props: {
  policy: NonNullable<EnvironmentView['summary']>['policy'];
}) {
  const { policy } = props;
  if (!policy) return <>—</>;
  if (policy.pending === false) {
    return <StatusLabel tone="aborted">no promotion pending</StatusLabel>;
  }
  return (
    <StatusLabel tone={policy.allowed ? 'ok' : 'error'}>
      {policy.allowed
        ? 'all gates pass'
        : `blocked: ${policy.failing.join(', ')}`}
    </StatusLabel>
  );
}

const useStyles = makeStyles({
  // words never break mid-word; a long value wraps between words
  table: {
    '& th, & td': { wordBreak: 'normal', overflowWrap: 'normal' },
    '& thead th, & tbody th': { whiteSpace: 'nowrap' },
  },
});

function EnvironmentRow(props: { env: EnvironmentView }) {
  const { env } = props;
  const stage = currentStage(env);
  const policy = env.summary?.policy;
  return (
    <TableRow>
      <TableCell component="th" scope="row">
        {env.name}
      </TableCell>
      <TableCell>
        {stage ? (
          <StatusLabel tone={STAGE_TONES[stage.status]}>
            {STAGE_TITLES[stage.name]}: {stage.status}
          </StatusLabel>
        ) : (
          '—'
        )}
      </TableCell>
      <TableCell>
        {env.rollouts.length
          ? env.rollouts.map(rollout => (
              <div key={`${rollout.instance}/${rollout.name}`}>
                <StatusLabel tone={ROLLOUT_TONES[rolloutState(rollout)]}>
                  {rollout.strategy === 'blueGreen'
                    ? `blue-green ${rolloutState(rollout)}`
                    : `${rollout.canaryWeight}% canary, ${stepLabel(rollout)}`}
                </StatusLabel>
              </div>
            ))
          : '—'}
      </TableCell>
      <TableCell>
        <WorstLayerCell worst={env.summary?.vulnerabilities?.worstLayer} />
      </TableCell>
      <TableCell>
        <PolicyCell policy={policy} />
      </TableCell>
    </TableRow>
  );
}

function OverviewCardBody(props: { entity: Entity; pollIntervalMs?: number }) {
  const { value, error, loading } = useDeliveryOverview(props.entity, {
    pollIntervalMs: props.pollIntervalMs,
  });
  const classes = useStyles();
  if (loading && !value) return <Progress />;
  if (error && !value) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return (
    <>
      <SourceStatusPanel sources={value.sources} kinds={['argocd']} />
      <Table
        size="small"
        aria-label="Delivery per environment"
        className={classes.table}
      >
        <TableHead>
          <TableRow>
            <TableCell>Environment</TableCell>
            <TableCell>Current stage</TableCell>
            <TableCell>Rollout</TableCell>
            <TableCell>Security</TableCell>
            <TableCell>Gates</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {value.environments.map(env => (
            <EnvironmentRow key={env.name} env={env} />
          ))}
        </TableBody>
      </Table>
    </>
  );
}

/**
 * Overview-page card: the current stage per environment, canary weight and
 * step, the worst security layer and the gates summary.
 *
 * @public
 */
export function EntityDeliveryOverviewCard(props: {
  /** Refresh interval while a rollout progresses. */
  pollIntervalMs?: number;
}) {
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
  return (
    // data-testid: the end-to-end suite scopes its accessibility check to the card
    <div data-testid="delivery-overview-card">
      <InfoCard
        title="Delivery"
        deepLink={{ title: 'Open the Delivery tab', link: 'delivery' }}
      >
        <OverviewCardBody
          entity={entity}
          pollIntervalMs={props.pollIntervalMs}
        />
      </InfoCard>
    </div>
  );
}
