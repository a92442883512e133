import { Progress } from '@backstage/core-components';
import type { SourceStatus } from '@gitops-delivery/backstage-plugin-delivery-common';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';
import type { FetchState } from '../../hooks';
import { SectionError } from './SectionError';
import { SourceStatusPanel } from './SourceStatusPanel';

/**
 * The states every signal section goes through: its own error with a retry,
 * a progress bar on the first load (a refresh keeps the last value), the
 * failed or unconfigured upstreams above the content, and a hint when there
 * is nothing to show.
 */
export function SectionState<T extends { sources?: SourceStatus[] }>(props: {
  state: FetchState<T>;
  /** Title of the error panel, e.g. "SLO metrics could not be loaded". */
  errorTitle: string;
  /** Whether the loaded value has nothing to show. */
  isEmpty: (value: T) => boolean;
  /** Says what is missing and where it is configured. */
  emptyHint: ReactNode;
  children: (value: T) => ReactNode;
}) {
  const { value, error, loading, retry } = props.state;
  if (error) {
    return (
      <SectionError title={props.errorTitle} error={error} onRetry={retry} />
    );
  }
  if (loading && !value) return <Progress />;
  if (!value) return null;
  return (
    <>
      <SourceStatusPanel sources={value.sources} />
      {props.isEmpty(value) && (
        <Typography color="textSecondary">{props.emptyHint}</Typography>
      )}
      {props.children(value)}
    </>
  );
}
