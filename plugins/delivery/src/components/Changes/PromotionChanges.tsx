import { getCompoundEntityRef, type Entity } from '@backstage/catalog-model';
import { Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  SEVERITIES,
  type ChangesResponse,
  type ImageVersion,
  type SeverityCounts,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import type { ReactNode } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deliveryApiRef } from '../../api';
import type { FetchState } from '../../hooks';
import { SectionError } from '../common/SectionError';
import { FieldChangesTable } from '../Drift/FieldChangesTable';

/** What `to` gets if it takes `from`'s revision (GET .../changes). */
export function useChanges(
  entity: Entity,
  from: string | undefined,
  to: string,
): FetchState<ChangesResponse> {
  const api = useApi(deliveryApiRef);
  return useAsyncRetry(async () => {
    if (!from) return undefined;
    return api.getChanges(getCompoundEntityRef(entity), { from, to });
  }, [api, entity, from, to]);
}

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

function ChangesView(props: { value: ChangesResponse }) {
  const { commits, images, vulnerabilities, manifests, from, to } = props.value;
  return (
    <>
      <Typography variant="body2">
        {to.environment} ({to.revision?.slice(0, 7) ?? 'unknown revision'}) →{' '}
        {from.environment}
        {from.historyId !== undefined ? ` entry ${from.historyId}` : ''} (
        {from.revision?.slice(0, 7) ?? 'unknown revision'})
      </Typography>
      <Part title="Commits" state={commits.state} error={commits.error}>
        {commits.items.length === 0 ? (
          <Typography variant="body2">
            No commits: both run the same revision
            {commits.status === 'behind' ? ' (or this goes back)' : ''}.
          </Typography>
        ) : (
          <ul aria-label="Commits of the promotion">
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
                    beforeLabel={to.environment}
                    afterLabel={`${from.environment}'s revision`}
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
 * What a promotion changes, from the environment before into this one:
 * commits, images, vulnerability delta and manifest diff, each part with
 * its own error (one failing upstream leaves the others shown).
 */
export function PromotionChanges(props: {
  entity: Entity;
  /** What would be promoted, e.g. `staging` or `staging@12`. */
  from?: string;
  /** Where, e.g. `production`. */
  to: string;
}) {
  const state = useChanges(props.entity, props.from, props.to);
  if (!props.from) return null;
  return (
    <Box mt={2} aria-label="What this promotion changes" role="region">
      <Typography variant="h6" component="h2">
        What this promotion changes
      </Typography>
      {state.error && (
        <SectionError
          title="The changes could not be loaded"
          error={state.error}
          onRetry={state.retry}
        />
      )}
      {!state.error && state.loading && !state.value && <Progress />}
      {!state.error && state.value && <ChangesView value={state.value} />}
    </Box>
  );
}
