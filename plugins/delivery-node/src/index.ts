/**
 * Node library of the Delivery plugins: what backend code outside the
 * Delivery backend plugin shares with it.
 *
 * @packageDocumentation
 */

export {};
