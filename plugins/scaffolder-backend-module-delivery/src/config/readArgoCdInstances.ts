// The instances are read by delivery-node's readArgoCdConfig (delivery.argocd
// or the legacy argocd: block); this name stays for the module's API.
import type { ArgoCdInstanceConfig } from '@gitops-delivery/backstage-plugin-delivery-node';

/** One configured Argo CD instance, as the actions need it. @public */
export type ArgoCdInstance = ArgoCdInstanceConfig;
