/**
 * Types, annotations and permissions shared by the Delivery plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './choices';
export * from './dora';
export * from './isDeliveryAvailable';
export * from './model';
export * from './permissions';
export * from './readAnnotations';
export * from './policy';
export * from './units';
// the fleet route's types, generated from the spec (openapi.yaml)
export type {
  FleetCanary,
  FleetCell,
  FleetCi,
  FleetPolicy,
  FleetRefList,
  FleetResponse,
  FleetRow,
  FleetSecurity,
  FleetState,
  FleetVersion,
} from './schema/openapi/generated';
