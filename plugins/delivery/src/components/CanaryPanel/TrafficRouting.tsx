import type {
  CanaryDetails,
  RolloutView,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { StatusLabel } from '../common/StatusLabel';
import { HEALTH_TONES } from '../common/tones';

/** Display names of Argo Rollouts' traffic routers. */
const PROVIDERS: Record<string, string> = {
  istio: 'Istio',
  nginx: 'NGINX Ingress',
  alb: 'AWS Load Balancer Controller',
  smi: 'SMI',
  gatewayAPI: 'Gateway API',
  traefik: 'Traefik',
  ambassador: 'Ambassador',
  apisix: 'Apache APISIX',
  appMesh: 'AWS App Mesh',
};

/** The name of a traffic router; plugins go by their own name. */
export function providerName(provider: string): string {
  return PROVIDERS[provider] ?? `plugin ${provider}`;
}

function RouterList(props: { details: CanaryDetails }) {
  const routers = props.details.trafficRouting?.routers ?? [];
  return (
    <ul aria-label="Traffic routers" style={{ margin: 0, paddingLeft: 20 }}>
      {routers.map(router => (
        <li key={router.provider}>
          <Typography variant="body2" component="span">
            {providerName(router.provider)}
          </Typography>
          {router.resources.length > 0 && (
            <ul style={{ margin: 0, paddingLeft: 20 }}>
              {router.resources.map(r => (
                <li key={`${r.kind}/${r.namespace}/${r.name}`}>
                  <Typography variant="body2" component="span">
                    {r.kind} <code>{r.name}</code>
                    {r.namespace ? ` (namespace ${r.namespace})` : ''}
                    {r.canaryWeight !== undefined
                      ? ` · sends ${r.canaryWeight}% to the canary`
                      : ''}
                    {' · '}
                  </Typography>
                  {r.found ? (
                    <StatusLabel
                      tone={r.health ? HEALTH_TONES[r.health.status] : 'ok'}
                    >
                      {r.health?.status ?? 'in the Application'}
                    </StatusLabel>
                  ) : (
                    <StatusLabel tone="warning">
                      not in the Application&apos;s resources
                    </StatusLabel>
                  )}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Replicas the stable keeps under dynamic stable scale at the routed weight. */
function stableReplicas(replicas: number, canaryWeight: number): number {
  return Math.ceil((replicas * (100 - canaryWeight)) / 100);
}

/**
 * How the canary's traffic is split: the router and its resources, the
 * weight it routes next to the weight the steps set, canary scale and
 * dynamic stable scale.
 */
export function TrafficRouting(props: { rollout: RolloutView }) {
  const { rollout } = props;
  const details = rollout.canary;
  if (!details) return null;
  const routed = details.routedWeight;
  const settled = rollout.aborted || rollout.fullyPromoted;
  return (
    <Box my={1} aria-label="Traffic routing" component="section">
      <Typography variant="subtitle2" component="h4">
        Traffic routing
      </Typography>
      {details.trafficRouting ? (
        <>
          <RouterList details={details} />
          {routed !== undefined && !rollout.fullyPromoted && (
            <Typography variant="body2">
              The router sends {routed}% of requests to the canary
              {details.weightsVerified === false ? ' (not verified yet)' : ''}
              {rollout.aborted
                ? '; the update is aborted.'
                : `; the steps set ${details.setWeight}%.`}
            </Typography>
          )}
          {routed !== undefined && !settled && routed !== details.setWeight && (
            <Alert severity="info">
              The routed weight differs from the step&apos;s: the controller has
              not applied the step yet, or an experiment or the router changed
              it.
            </Alert>
          )}
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          No traffic router: the canary&apos;s share of requests is its share of
          the pods ({details.setWeight}% set by the steps).
        </Typography>
      )}
      {details.canaryScale && (
        <Typography variant="body2">
          Canary scale:{' '}
          {details.canaryScale.replicas !== undefined
            ? `${details.canaryScale.replicas} replicas`
            : `${details.canaryScale.weight ?? 0}% of the replicas`}
          , independent of its traffic weight.
        </Typography>
      )}
      {details.dynamicStableScale && (
        <Typography variant="body2">
          Dynamic stable scale: the stable scales down as the canary takes
          traffic
          {details.replicas !== undefined && !settled
            ? ` (${stableReplicas(
                details.replicas,
                routed ?? details.setWeight,
              )} of ${details.replicas} replicas at this weight)`
            : ''}
          .
        </Typography>
      )}
    </Box>
  );
}
