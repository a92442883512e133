/**
 * Types, annotations and permissions shared by the Delivery plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './dora';
export * from './isDeliveryAvailable';
export * from './live';
export * from './model';
export * from './permissions';
export * from './readAnnotations';
export * from './policy';
export * from './units';
// the HTTP contract's types, generated from the spec (openapi.yaml)
export * from './schema/openapi/generated';
