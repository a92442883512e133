/** How long a scanner's report of an image is reused. */
export const REPORT_TTL_MS = 5 * 60_000;
