import type { Entity } from '@backstage/catalog-model';
import type {
  ApplicationView,
  EnvironmentView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useState } from 'react';
import { historyLabel } from '../ApplicationActions/applicationActionModel';
import { ChangesSection } from './ChangesView';
import { historySelector } from './selectors';
import { useChanges } from './useChanges';

function EntryPicker(props: {
  id: string;
  label: string;
  app: ApplicationView;
  value?: number;
  onChange: (id: number) => void;
}) {
  return (
    <TextField
      select
      id={props.id}
      label={props.label}
      value={props.value ?? ''}
      onChange={e => props.onChange(Number(e.target.value))}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      variant="outlined"
      size="small"
    >
      {props.app.history.map(entry => (
        <option key={entry.id} value={entry.id}>
          {historyLabel(entry)}
        </option>
      ))}
    </TextField>
  );
}

/** The two picked entries and what changes between them. */
function EntryComparison(props: {
  entity: Entity;
  environment: EnvironmentView;
  app: ApplicationView;
}) {
  const { entity, environment, app } = props;
  // by default what the last deployment changed
  const [before, setBefore] = useState<number>(app.history[1].id);
  const [after, setAfter] = useState<number>(app.history[0].id);
  const same = before === after;
  const idPrefix = `compare-${environment.name}-${app.instance}-${app.name}`;
  // the route's `to` is the baseline (the state before), `from` the state
  // compared with it (after): "what `to` gets if it takes `from`'s revision"
  const state = useChanges(
    entity,
    same ? undefined : historySelector(environment, app, after),
    historySelector(environment, app, before),
  );
  return (
    <Box width="100%">
      <Box
        display="flex"
        flexWrap="wrap"
        style={{ gap: 16 }}
        role="group"
        aria-label={`Pick two history entries of ${app.name}`}
      >
        <EntryPicker
          id={`${idPrefix}-from`}
          label="From entry"
          app={app}
          value={before}
          onChange={setBefore}
        />
        <EntryPicker
          id={`${idPrefix}-to`}
          label="To entry"
          app={app}
          value={after}
          onChange={setAfter}
        />
      </Box>
      {same ? (
        <Box mt={2}>
          <Typography variant="body2" role="status">
            Pick two different entries to see what changes between them.
          </Typography>
        </Box>
      ) : (
        <ChangesSection
          title={`What changes from entry ${before} to entry ${after}`}
          state={state}
          labels={{
            before: `entry ${before}`,
            after: `entry ${after}`,
            commits: `Commits from entry ${before} to entry ${after}`,
          }}
        />
      )}
    </Box>
  );
}

/**
 * An Application's deployment history (newest first), and what changes
 * between any two of its entries: the commits, the images, the
 * vulnerability delta and the manifest diff. Collapsed until opened, so
 * nothing is asked of GitHub, Argo CD or the scanners before the user looks.
 */
export function HistoryChanges(props: {
  entity: Entity;
  environment: EnvironmentView;
  app: ApplicationView;
}) {
  const { app } = props;
  const count = app.history.length;
  const summaryId = `history-${props.environment.name}-${app.instance}-${app.name}`;
  return (
    <Accordion TransitionProps={{ unmountOnExit: true }}>
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        id={summaryId}
        aria-controls={`${summaryId}-content`}
      >
        <Typography variant="body2">
          History of {app.name} ({count} {count === 1 ? 'entry' : 'entries'})
        </Typography>
      </AccordionSummary>
      <AccordionDetails id={`${summaryId}-content`}>
        <Box width="100%">
          {count === 0 && (
            <Typography variant="body2">
              Argo CD has recorded no deployment of this Application yet.
            </Typography>
          )}
          {count > 0 && (
            <ol aria-label={`History of ${app.name}`}>
              {app.history.map(entry => (
                <li key={entry.id}>
                  <Typography variant="body2" component="span">
                    {historyLabel(entry)}
                    {entry.initiatedBy ? ` (by ${entry.initiatedBy})` : ''}
                  </Typography>
                </li>
              ))}
            </ol>
          )}
          {count === 1 && (
            <Typography variant="body2">
              One entry: nothing to compare it with yet.
            </Typography>
          )}
          {count > 1 && <EntryComparison {...props} />}
        </Box>
      </AccordionDetails>
    </Accordion>
  );
}
