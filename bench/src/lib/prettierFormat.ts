import { REPO_ROOT } from '../backend/entities';

/**
 * Formats a results file with the repository's own prettier and config, so
 * committed results pass `yarn prettier:check`. Resolved from the repo root
 * at run time: prettier is the root's tool, not a dependency of bench.
 */
export function prettierFormat(
  log: (line: string) => void,
  file: string,
  text: string,
): string {
  try {
    const prettier = require(require.resolve('prettier', {
      paths: [REPO_ROOT],
    }));
    const options = prettier.resolveConfig.sync(file) ?? {};
    return prettier.format(text, { ...options, filepath: file });
  } catch (e) {
    log(`results left unformatted: ${(e as Error).message}`);
    return text;
  }
}
