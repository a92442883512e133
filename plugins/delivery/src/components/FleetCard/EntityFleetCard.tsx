import { InfoCard, Progress } from '@backstage/core-components';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { SectionError } from '../common/SectionError';
import { SourceStatusPanel } from '../common/SourceStatusPanel';
import { FleetMatrix } from '../FleetPage/FleetMatrix';
import { useFleet, type FleetRequest } from '../FleetPage/useFleet';

const kindOf = (entity: Entity) => entity.kind.toLocaleLowerCase('en-US');

function requestOf(entity: Entity): FleetRequest {
  const ref = stringifyEntityRef(entity);
  return kindOf(entity) === 'system'
    ? { owner: 'all', system: [ref] }
    : { owner: [ref] };
}

/**
 * What is deployed where for the components of a System, or for what a
 * Group owns: the fleet page's matrix as a card. @public
 */
export function EntityFleetCard() {
  const { entity } = useEntity();
  const state = useFleet(requestOf(entity));
  const what = kindOf(entity) === 'system' ? 'its components' : 'what it owns';
  return (
    <InfoCard title="Fleet" subheader={`What is deployed where, for ${what}`}>
      {state.error && (
        <SectionError
          title="The fleet could not be loaded"
          error={state.error}
          onRetry={state.retry}
        />
      )}
      {!state.error && state.loading && <Progress />}
      {!state.error && !state.loading && state.value && (
        <>
          <SourceStatusPanel sources={state.value.sources} />
          {state.value.rows.length === 0 ? (
            <Typography>
              No delivery-annotated component: a component appears here once it
              has the <code>argocd/app-name</code> or{' '}
              <code>argocd/app-selector</code> annotation
              {kindOf(entity) === 'system'
                ? ' and names this system in spec.system'
                : ' and this group as its owner'}
              .
            </Typography>
          ) : (
            <FleetMatrix
              fleet={state.value}
              rows={state.value.rows}
              caption={`What is deployed where, for ${entity.metadata.name}`}
            />
          )}
        </>
      )}
    </InfoCard>
  );
}
