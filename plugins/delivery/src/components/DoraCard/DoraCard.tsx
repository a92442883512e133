import type { Entity } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  DORA_WINDOWS,
  isDeliveryAvailable,
  type DoraEnvironmentFigures,
  type DoraFigureName,
  type DoraResponse,
  type DoraWindowDays,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { shortRevision } from '../../lib/format';
import { useDora } from './DoraData';
import { DORA_FIGURES } from './DoraFormat';
import { DoraFigureTile } from './DoraFigureTile';

/**
 * Whether the DORA card makes sense for the entity: a component with
 * delivery annotations, or a System (over its components).
 *
 * @public
 */
export function isDoraAvailable(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'system' ||
    isDeliveryAvailable(entity)
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function basisOf(env: DoraEnvironmentFigures, name: DoraFigureName): string {
  const deployments = env.deployments.length;
  const failed = env.deployments.filter(d => d.failed).length;
  switch (name) {
    case 'deploymentFrequency':
      return plural(deployments, 'deployment');
    case 'leadTimeForChanges':
      return `median of ${plural(
        env.figures.leadTimeForChanges.sampleSize,
        'deployment',
      )} with a known commit time`;
    case 'changeFailureRate':
      return `${failed} of ${plural(deployments, 'deployment')} failed`;
    default:
      return `median of ${plural(
        env.figures.timeToRestore.sampleSize,
        'restored failure',
      )}`;
  }
}

/** Production when there is one, else the last environment in promotion order. */
function defaultEnvironment(response: DoraResponse): string | undefined {
  const names = response.environments.map(e => e.environment);
  return names.includes('production') ? 'production' : names[names.length - 1];
}

/** `checkout ` for a system's `component:default/checkout`; nothing otherwise. */
function componentOf(ref?: string): string {
  return ref ? `${ref.replace(/^[^:]*:(?:[^/]*\/)?/, '')} ` : '';
}

function DoraDetails(props: { env: DoraEnvironmentFigures }) {
  const { env } = props;
  const [open, setOpen] = useState(false);
  return (
    <Box mt={1}>
      <Button
        size="small"
        onClick={() => setOpen(o => !o)}
        aria-expanded={open}
      >
        {open ? 'Hide' : 'Show'} the{' '}
        {plural(env.deployments.length, 'deployment')} and{' '}
        {plural(env.failures.length, 'failure')}
      </Button>
      {open && (
        <ul aria-label="Deployments and failures">
          {env.deployments.map(d => (
            <li key={`d-${d.component}-${d.at}-${d.revision}`}>
              {new Date(d.at).toLocaleString()}: {componentOf(d.component)}
              deployed {shortRevision(d.revision) ?? d.images.join(', ')}
              {d.failed ? ' (failed' : ''}
              {d.failed && d.restoredAt
                ? `, restored ${new Date(d.restoredAt).toLocaleString()})`
                : ''}
              {d.failed && !d.restoredAt ? ', not restored yet)' : ''}
            </li>
          ))}
          {env.failures.map(f => (
            <li key={`f-${f.component}-${f.at}-${f.source}`}>
              {new Date(f.at).toLocaleString()}: {componentOf(f.component)}
              {f.kind === 'abort'
                ? 'rollout aborted'
                : 'rolled back'} (from{' '}
              {f.source === 'audit' ? 'the audit trail' : 'Argo CD'})
            </li>
          ))}
        </ul>
      )}
    </Box>
  );
}

function DoraBody(props: {
  response: DoraResponse;
  windowDays: DoraWindowDays;
}) {
  const { response, windowDays } = props;
  const [chosen, setChosen] = useState<string | undefined>();
  const errors = response.sources.filter(s => s.status === 'error');
  const environment =
    chosen && response.environments.some(e => e.environment === chosen)
      ? chosen
      : defaultEnvironment(response);
  const env = response.environments.find(e => e.environment === environment);
  return (
    <>
      {errors.length > 0 && (
        <Alert severity="warning">
          Some sources could not be read; the figures may be incomplete:{' '}
          {errors.map(e => `${e.source}: ${e.message ?? 'failed'}`).join('; ')}
        </Alert>
      )}
      {response.components && (
        <Typography variant="body2" color="textSecondary">
          Over {plural(response.components.length, 'component')} of the system
        </Typography>
      )}
      {response.environments.length > 1 && environment && (
        <TextField
          select
          size="small"
          label="Environment"
          value={environment}
          onChange={e => setChosen(e.target.value)}
          margin="dense"
        >
          {response.environments.map(e => (
            <MenuItem key={e.environment} value={e.environment}>
              {e.environment}
            </MenuItem>
          ))}
        </TextField>
      )}
      {!env || (env.deployments.length === 0 && env.failures.length === 0) ? (
        <Typography variant="body1" role="status">
          {env
            ? `No deployments to ${env.environment} in the last ${windowDays} days.`
            : 'No deployments recorded yet.'}{' '}
          The figures appear once Argo CD has synced a change.
        </Typography>
      ) : (
        <>
          <Grid container spacing={2}>
            {DORA_FIGURES.map(({ name, title }) => (
              <Grid item xs={12} sm={6} key={name}>
                <DoraFigureTile
                  title={title}
                  figure={env.figures[name]}
                  windowDays={windowDays}
                  basis={basisOf(env, name)}
                />
              </Grid>
            ))}
          </Grid>
          <DoraDetails env={env} />
        </>
      )}
    </>
  );
}

/** Props of EntityDoraCard. @public */
export interface EntityDoraCardProps {
  /** Window shown first, in days. Default 30. */
  defaultWindowDays?: DoraWindowDays;
}

/**
 * Overview-page card: the four DORA figures (deployment frequency, lead
 * time for changes, change failure rate, time to restore) with their
 * performance band, trend and daily sparkline, over 7, 30 or 90 days; for
 * a System, over its components.
 *
 * @public
 */
export function EntityDoraCard(props: EntityDoraCardProps) {
  const { entity } = useEntity();
  const [windowDays, setWindowDays] = useState<DoraWindowDays>(
    props.defaultWindowDays ?? 30,
  );
  const { value, error, loading } = useDora(entity, windowDays);
  let body;
  if (loading) body = <Progress />;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else if (value)
    body = <DoraBody response={value} windowDays={value.windowDays} />;
  return (
    // data-testid: the end-to-end suite scopes its accessibility check to the card
    <div data-testid="delivery-dora-card">
      <InfoCard
        title="DORA metrics"
        subheader={`Last ${windowDays} days`}
        action={
          <ButtonGroup size="small" aria-label="Window">
            {DORA_WINDOWS.map(days => (
              <Button
                key={days}
                aria-label={`Last ${days} days`}
                aria-pressed={days === windowDays}
                variant={days === windowDays ? 'contained' : 'outlined'}
                color={days === windowDays ? 'primary' : 'default'}
                onClick={() => setWindowDays(days)}
              >
                {/* the visible words are part of the accessible name */}
                {days} days
              </Button>
            ))}
          </ButtonGroup>
        }
      >
        {body}
      </InfoCard>
    </div>
  );
}
