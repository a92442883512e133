import { ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';

/** A section's own error (its route failed), with a retry button; other sections keep working. */
export function SectionError(props: {
  title: string;
  error: Error;
  onRetry?: () => void;
}) {
  return (
    <Box>
      <ResponseErrorPanel title={props.title} error={props.error} />
      {props.onRetry && (
        <Button size="small" onClick={props.onRetry}>
          Retry
        </Button>
      )}
    </Box>
  );
}
