/** Reads a JSON or YAML fixture of the repository's test data (tests only). */
export { readFixture } from 'delivery-test-data';

/** The digest the alpine-3.10.2 fixture names in Metadata.RepoDigests. */
export const ALPINE_DIGEST =
  'sha256:72c42ed48c3a2db31b7dafe17d275b634664a708d901ec9fd57b1529280f01fb';

/** A digest of no fixture. */
export const OTHER_DIGEST = `sha256:${'a'.repeat(64)}`;
