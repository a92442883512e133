import { numericId } from './actions';

/**
 * A GitHub user as the REST API embeds it (`simple-user`: commit authors,
 * pull request users, repository owners), with an id stable per login.
 * `base` is the API's root the URLs point into.
 */
export function userJson(login: string, base = 'https://api.github.com') {
  const id = numericId(`user:${login}`, 7);
  const api = `${base}/users`;
  return {
    login,
    id,
    node_id: Buffer.from(`04:User${id}`).toString('base64'),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: `${api}/${login}`,
    html_url: `https://github.com/${login}`,
    followers_url: `${api}/${login}/followers`,
    following_url: `${api}/${login}/following{/other_user}`,
    gists_url: `${api}/${login}/gists{/gist_id}`,
    starred_url: `${api}/${login}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/${login}/subscriptions`,
    organizations_url: `${api}/${login}/orgs`,
    repos_url: `${api}/${login}/repos`,
    events_url: `${api}/${login}/events{/privacy}`,
    received_events_url: `${api}/${login}/received_events`,
    type: 'User',
    site_admin: false,
  };
}
