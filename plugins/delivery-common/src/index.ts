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
