import type {
  PolicyEvaluation,
  PolicyResponse,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { FetchState } from '../../hooks';
import { SectionState } from '../common/SectionState';
import { StatusLabel } from '../common/StatusLabel';
import { GateList } from './GateList';

/** The verdict: allowed, blocked, or nothing to promote (no rollout, or fully promoted). */
export function PromotionLabel(props: { evaluation: PolicyEvaluation }) {
  const { evaluation } = props;
  if (evaluation.promotionPending === false) {
    return <StatusLabel tone="aborted">No promotion pending</StatusLabel>;
  }
  return (
    <StatusLabel tone={evaluation.allowed ? 'ok' : 'error'}>
      {evaluation.allowed ? 'Promotion allowed' : 'Promotion blocked'}
    </StatusLabel>
  );
}

/** "Can I promote?": each evaluation of the environment as a checklist. */
export function PolicyGates(props: { state: FetchState<PolicyResponse> }) {
  return (
    <SectionState
      state={props.state}
      errorTitle="Policy gates could not be evaluated"
      isEmpty={value => !value.evaluations.length}
      emptyHint="No promotion policy applies to this environment. Policies are configured under delivery.policies."
    >
      {value =>
        value.evaluations.map(evaluation => (
          <Box key={`${evaluation.instance ?? ''}/${evaluation.rollout ?? ''}`}>
            <Box display="flex" alignItems="center" flexWrap="wrap">
              <Box mr={1}>
                <PromotionLabel evaluation={evaluation} />
              </Box>
              <Typography variant="body2" color="textSecondary">
                policy {evaluation.policy}
                {evaluation.rollout ? ` · rollout ${evaluation.rollout}` : ''} ·
                evaluated {evaluation.evaluatedAt}
              </Typography>
            </Box>
            <GateList
              gates={evaluation.gates}
              label={`Gates of policy ${evaluation.policy}`}
            />
          </Box>
        ))
      }
    </SectionState>
  );
}
