import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
} from '@backstage/core-components';
import type { FleetResponse } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useSearchParams } from 'react-router-dom';
import { SectionError } from '../common/SectionError';
import { SourceStatusPanel } from '../common/SourceStatusPanel';
import { FleetFilters } from './FleetFilters';
import { FleetMatrix } from './FleetMatrix';
import {
  readFleetView,
  sortRows,
  writeFleetView,
  type FleetView,
} from './fleetUrl';
import { useFleet } from './useFleet';

/** What to do when the filters leave nothing. */
function NothingToShow(props: {
  fleet: FleetResponse;
  view: FleetView;
  onChange: (view: FleetView) => void;
}) {
  const { fleet, view, onChange } = props;
  if (fleet.total > 0) {
    return (
      <EmptyState
        missing="data"
        title="No component is in the selected states"
        description={`${fleet.total} delivery-annotated component(s) match the other filters; none is in the states picked.`}
        action={
          <Button
            variant="outlined"
            onClick={() => onChange({ ...view, state: [] })}
          >
            Clear the state filter
          </Button>
        }
      />
    );
  }
  const narrowed =
    view.owner !== 'all' || view.system.length > 0 || view.lifecycle.length > 0;
  return (
    <EmptyState
      missing="info"
      title={
        narrowed
          ? 'No delivery-annotated service matches these filters'
          : 'No delivery-annotated services'
      }
      description={
        <Typography component="span">
          A component appears here once its catalog-info.yaml names its Argo CD
          Applications with the <code>argocd/app-name</code> or{' '}
          <code>argocd/app-selector</code> annotation (optionally{' '}
          <code>argocd/instance-name</code>).
          {view.owner === 'mine' && ' "Mine" lists what your groups own.'}
        </Typography>
      }
      action={
        narrowed ? (
          <Button
            variant="outlined"
            onClick={() =>
              onChange({ ...view, owner: 'all', system: [], lifecycle: [] })
            }
          >
            Show every owner and system
          </Button>
        ) : undefined
      }
    />
  );
}

/** The matrix with its filters, loading, error and empty states. */
export function FleetContent() {
  const [params, setParams] = useSearchParams();
  const view = readFleetView(params);
  const onChange = (next: FleetView) => setParams(writeFleetView(next));
  const state = useFleet({
    owner: view.owner,
    system: view.system,
    lifecycle: view.lifecycle,
    state: view.state,
  });
  const fleet = state.value;
  return (
    <Box data-testid="delivery-fleet">
      <FleetFilters view={view} rows={fleet?.rows} onChange={onChange} />
      {state.error && (
        <SectionError
          title="The fleet could not be loaded"
          error={state.error}
          onRetry={state.retry}
        />
      )}
      {!state.error && state.loading && <Progress />}
      {!state.error && !state.loading && fleet && (
        <>
          <SourceStatusPanel sources={fleet.sources} />
          {fleet.rows.length === 0 ? (
            <NothingToShow fleet={fleet} view={view} onChange={onChange} />
          ) : (
            <FleetMatrix
              fleet={fleet}
              rows={sortRows(fleet.rows, view.sort)}
              caption="What is deployed where"
            />
          )}
        </>
      )}
    </Box>
  );
}

/** The fleet page: what is deployed where, for the caller's teams by default. */
export function FleetPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Delivery"
        subtitle="What is deployed where: versions, canaries, drift, findings and gates per environment"
      />
      <Content>
        <FleetContent />
      </Content>
    </Page>
  );
}
