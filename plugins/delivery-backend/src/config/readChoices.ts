import type { DeliveryChoices } from '@gitops-delivery/backstage-plugin-delivery-common';
import type { PolicyConfig } from '@gitops-delivery/backstage-plugin-delivery-node';
import type { DeliveryConfig } from './readDeliveryConfig';

/**
 * The names a scaffolder template may offer: the configured promotion
 * policies (the built-in `default` included, the default one first) and
 * Argo CD instances, in configuration order.
 */
export function readChoices(
  policyConfig: PolicyConfig,
  deliveryConfig: Pick<DeliveryConfig, 'argocd'>,
): DeliveryChoices {
  const { policies, defaultPolicy } = policyConfig;
  const policyChoices = [...policies.values()]
    .map(policy => ({
      name: policy.name,
      ...(policy.description ? { description: policy.description } : {}),
      isDefault: policy.name === defaultPolicy,
    }))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  return {
    policies: policyChoices,
    argocdInstances: deliveryConfig.argocd.instances.map(i => ({
      name: i.name,
    })),
  };
}
