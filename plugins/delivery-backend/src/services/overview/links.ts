/**
 * Link to a commit on GitHub or GitLab when the repository URL is one of
 * theirs (https or scp-like ssh form); undefined otherwise.
 */
export function commitUrl(
  repoURL: string | undefined,
  revision: string,
): string | undefined {
  if (!repoURL || !/^[0-9a-f]{7,64}$/.test(revision)) return undefined;
  const trimmed = repoURL.replace(/\/+$/, '').replace(/\.git$/, '');
  const match =
    /^(?:https:\/\/|git@)(github\.com|gitlab\.com)[/:]([\w.-]+(?:\/[\w.-]+)+)$/.exec(
      trimmed,
    );
  if (!match) return undefined;
  const [, host, path] = match;
  return host === 'github.com'
    ? `https://github.com/${path}/commit/${revision}`
    : `https://gitlab.com/${path}/-/commit/${revision}`;
}
