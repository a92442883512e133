import { Link, Progress } from '@backstage/core-components';
import {
  SEVERITIES,
  type ChangeSide,
  type ChangesResponse,
  type ImageVersion,
  type SeverityCounts,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import type { ReactNode } from 'react';
import type { FetchState } from '../../hooks';
import { SectionError } from '../common/SectionError';
import { FieldChangesTable } from '../Drift/FieldChangesTable';

const version = (v?: ImageVersion) =>
  v
    ? `${v.tag ?? v.reference}${v.digest ? ` (${v.digest.slice(0, 19)}…)` : ''}`
    : 'none';

const countsText = (c: SeverityCounts) =>
  SEVERITIES.filter(s => c[s] > 0)
    .map(s => `${c[s]} ${s}`)
    .join(', ') || 'none';

function Part(props: {
  title: string;
  state: string;
  error?: string;
  children: ReactNode;
}) {
  return (
    <Box mt={2} component="section" aria-label={props.title}>
      <Typography variant="subtitle2" component="h3">
        {props.title}
      </Typography>
      {props.state === 'ok' ? (
        props.children
      ) : (
        <Alert severity={props.state === 'error' ? 'warning' : 'info'}>
          {props.error ?? 'Not available'}
        </Alert>
      )}
    </Box>
  );
}

/** A side in words: its environment, and its history entry if it names one. */
const sideName = (side: ChangeSide) =>
  `${side.environment}${
    side.historyId !== undefined ? ` entry ${side.historyId}` : ''
  }`;

/** How a comparison names its two sides and its commits. */
export interface ChangesLabels {
  /** The baseline (`to`), e.g. `production` or `entry 6`. */
  before: string;
  /** The other side (`from`), e.g. `staging's revision` or `entry 7`. */
  after: string;
  /** The accessible name of the list of commits. */
  commits: string;
}

/**
 * The parts of a comparison (GET .../changes): commits with author and pull
 * request, images with tag and digest, the vulnerability delta and the
 * manifest diff, each part with its own error.
 */
export function ChangesView(props: {
  value: ChangesResponse;
  labels?: ChangesLabels;
}) {
  const { commits, images, vulnerabilities, manifests, from, to } = props.value;
  const labels = props.labels ?? {
    before: to.environment,
    after: `${from.environment}'s revision`,
    commits: 'Commits of the promotion',
  };
  return (
    <>
      <Typography variant="body2">
        {sideName(to)} ({to.revision?.slice(0, 7) ?? 'unknown revision'}) →{' '}
        {sideName(from)} ({from.revision?.slice(0, 7) ?? 'unknown revision'})
      </Typography>
      <Part title="Commits" state={commits.state} error={commits.error}>
        {commits.items.length === 0 ? (
          <Typography variant="body2">
            No commits: both run the same revision
            {commits.status === 'behind' ? ' (or this goes back)' : ''}.
          </Typography>
        ) : (
          <ul aria-label={labels.commits}>
            {commits.items.map(c => (
              <li key={c.sha}>
                <Typography variant="body2" component="span">
                  {c.url ? (
                    <Link to={c.url}>{c.sha.slice(0, 7)}</Link>
                  ) : (
                    c.sha.slice(0, 7)
                  )}{' '}
                  {c.message}
                  {c.author ? ` — ${c.author}` : ''}
                  {c.pullRequest && (
                    <>
                      {' '}
                      (
                      <Link to={c.pullRequest.url}>
                        #{c.pullRequest.number}
                      </Link>
                      )
                    </>
                  )}
                </Typography>
              </li>
            ))}
          </ul>
        )}
        {commits.compareUrl && (
          <Link to={commits.compareUrl}>Compare on GitHub</Link>
        )}
      </Part>
      <Part title="Images" state="ok">
        {images.length === 0 ? (
          <Typography variant="body2">No image changes.</Typography>
        ) : (
          <ul aria-label="Images that change">
            {images.map(i => (
              <li key={i.repository}>
                <Typography variant="body2" component="span">
                  {i.repository}: {version(i.before)} → {version(i.after)}
                </Typography>
              </li>
            ))}
          </ul>
        )}
      </Part>
      <Part
        title="Vulnerabilities"
        state={vulnerabilities.state}
        error={vulnerabilities.error}
      >
        <Typography variant="body2">
          {countsText(vulnerabilities.before)} →{' '}
          {countsText(vulnerabilities.after)}
          {vulnerabilities.introduced.length > 0 &&
            `; new: ${vulnerabilities.introduced
              .map(f => `${f.id} (${f.severity}, ${f.packageName})`)
              .join(', ')}`}
          {vulnerabilities.fixed.length > 0 &&
            `; fixed: ${vulnerabilities.fixed.map(f => f.id).join(', ')}`}
        </Typography>
      </Part>
      <Part title="Manifests" state={manifests.state} error={manifests.error}>
        {manifests.resources.length === 0 ? (
          <Typography variant="body2">No manifest changes.</Typography>
        ) : (
          manifests.resources.map(r => {
            const name = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${
              r.name
            }`;
            return (
              <Box key={`${r.group}/${name}`} mt={1}>
                <Typography variant="body2">
                  {name}: {r.change}
                </Typography>
                {r.changes.length > 0 && (
                  <FieldChangesTable
                    changes={r.changes}
                    beforeLabel={labels.before}
                    afterLabel={labels.after}
                    label={`Manifest changes of ${name}`}
                  />
                )}
              </Box>
            );
          })
        )}
      </Part>
    </>
  );
}

/**
 * A comparison's section: a heading, then the comparison, a progress bar
 * while it loads, or the route's error with a retry (the other sections of
 * the page keep working).
 */
export function ChangesSection(props: {
  title: string;
  state: FetchState<ChangesResponse>;
  labels?: ChangesLabels;
}) {
  const { state } = props;
  return (
    <Box mt={2} aria-label={props.title} role="region">
      <Typography variant="h6" component="h2">
        {props.title}
      </Typography>
      {state.error && (
        <SectionError
          title="The changes could not be loaded"
          error={state.error}
          onRetry={state.retry}
        />
      )}
      {!state.error && state.loading && !state.value && <Progress />}
      {!state.error && state.value && (
        <ChangesView value={state.value} labels={props.labels} />
      )}
    </Box>
  );
}
