export {
  DeploymentCard,
  DeploymentPanel,
  strategyLabel,
} from './DeploymentPanel';
