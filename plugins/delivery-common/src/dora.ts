/*
 * DORA figures (GET /entities/:ref/dora?window=): the response types are
 * generated from the spec (DoraResponse, DoraFigure, ...); these are the
 * windows as values and the figures' names.
 */

import type { DoraFigures, DoraWindowDays } from './schema/openapi/generated';

/** Windows the DORA figures can be computed over, in days. @public */
export const DORA_WINDOWS = [
  7, 30, 90,
] as const satisfies readonly DoraWindowDays[];

/** Names of the four DORA figures. @public */
export type DoraFigureName = keyof DoraFigures;
