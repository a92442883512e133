/**
 * Test utilities of the Delivery node library.
 *
 * @packageDocumentation
 */

export {};
