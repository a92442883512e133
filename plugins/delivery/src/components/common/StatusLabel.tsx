import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { ReactNode } from 'react';

/** The tone of a status; each has its own icon so colour is never the only signal. */
export type StatusTone =
  | 'ok'
  | 'error'
  | 'warning'
  | 'pending'
  | 'running'
  | 'aborted';

const COMPONENTS = {
  ok: StatusOK,
  error: StatusError,
  warning: StatusWarning,
  pending: StatusPending,
  running: StatusRunning,
  aborted: StatusAborted,
};

/** A status icon followed by its text. */
export function StatusLabel(props: { tone: StatusTone; children: ReactNode }) {
  const Component = COMPONENTS[props.tone];
  return <Component>{props.children}</Component>;
}
