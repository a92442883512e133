import type { SourceStatus } from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import { Alert, AlertTitle } from '@material-ui/lab';
import {
  configHint,
  sourceTitle,
  sourcesWithNotes,
  sourcesWithStatus,
} from '../../lib/sources';

/**
 * Says which upstreams of a section failed or are not configured, while the
 * rest of the section keeps rendering what the other upstreams gave; and
 * the note of an upstream that answered with one (an Argo CD instance whose
 * live updates are unavailable), on that upstream only.
 */
export function SourceStatusPanel(props: {
  sources?: SourceStatus[];
  /** Source kinds this section depends on; all when absent. */
  kinds?: string[];
}) {
  const failed = sourcesWithStatus(props.sources, 'error', props.kinds);
  const missing = sourcesWithStatus(
    props.sources,
    'not-configured',
    props.kinds,
  );
  const noted = sourcesWithNotes(props.sources, props.kinds);
  if (!failed.length && !missing.length && !noted.length) return null;
  return (
    <Box mb={2}>
      {failed.map(source => (
        <Box mb={1} key={`error-${source.source}-${source.instance ?? ''}`}>
          <Alert severity="error">
            <AlertTitle>{sourceTitle(source)} is unavailable</AlertTitle>
            {source.message ?? 'The upstream did not answer.'} The rest of the
            view shows what the other sources returned.
          </Alert>
        </Box>
      ))}
      {noted.map(source => (
        <Box mb={1} key={`note-${source.source}-${source.instance ?? ''}`}>
          <Alert severity="info">
            <AlertTitle>{sourceTitle(source)}</AlertTitle>
            {source.note}
          </Alert>
        </Box>
      ))}
      {missing.map(source => {
        const hint = configHint(source.source);
        return (
          <Box mb={1} key={`missing-${source.source}-${source.instance ?? ''}`}>
            <Alert severity="info">
              <AlertTitle>{sourceTitle(source)} is not configured</AlertTitle>
              {source.message ?? ''}
              {hint ? ` Configure ${hint} in app-config to see it here.` : ''}
            </Alert>
          </Box>
        );
      })}
    </Box>
  );
}
