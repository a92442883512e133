import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Read the delivery view of an entity. Reading also requires the catalog's
 * own read permission on the entity, which the backend enforces by loading
 * the entity with the caller's credentials.
 *
 * @public
 */
export const deliveryReadPermission = createPermission({
  name: 'delivery.entity.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Promote a rollout one step or fully. @public */
export const deliveryPromotePermission = createPermission({
  name: 'delivery.rollout.promote',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Abort or retry a rollout. @public */
export const deliveryAbortPermission = createPermission({
  name: 'delivery.rollout.abort',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Promote although the policy blocks it (break-glass; audited as such). @public */
export const deliveryOverridePermission = createPermission({
  name: 'delivery.rollout.override-policy',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Refresh or sync an Argo CD Application of the entity. @public */
export const deliveryApplicationSyncPermission = createPermission({
  name: 'delivery.application.sync',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Roll an Argo CD Application of the entity back to a history entry
 * (through Argo CD, or a pull request where auto-sync is on). @public
 */
export const deliveryApplicationRollbackPermission = createPermission({
  name: 'delivery.application.rollback',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Every permission the Delivery plugins define. @public */
export const deliveryPermissions = [
  deliveryReadPermission,
  deliveryPromotePermission,
  deliveryAbortPermission,
  deliveryOverridePermission,
  deliveryApplicationSyncPermission,
  deliveryApplicationRollbackPermission,
];
