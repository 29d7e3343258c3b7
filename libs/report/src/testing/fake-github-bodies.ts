/**
 * The objects GitHub answers with, complete enough to pass the response schemas of its REST
 * description: the fake's answers are checked against them like the requests it receives.
 */
export interface FakeUser {
  login: string;
  type: 'Bot' | 'User';
}

export function userBody(user: FakeUser, id: number) {
  const url = `https://api.github.com/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `https://github.com/${encodeURIComponent(user.login)}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    site_admin: false,
  };
}

export interface StoredComment {
  id: number;
  body: string;
  user: FakeUser;
  created_at: string;
  html_url: string;
}

export function commentBody(comment: StoredComment, owner: string, repo: string, pr: number) {
  const api = `https://api.github.com/repos/${owner}/${repo}`;
  return {
    ...comment,
    node_id: `IC_${comment.id}`,
    url: `${api}/issues/comments/${comment.id}`,
    issue_url: `${api}/issues/${pr}`,
    updated_at: comment.created_at,
    author_association: 'NONE',
    user: userBody(comment.user, comment.user.type === 'Bot' ? 41898282 : 583231),
  };
}

export interface StoredDeploymentStatus {
  id: number;
  state: 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
  description: string;
  environment_url: string;
  log_url: string;
  created_at: string;
}

export interface StoredDeployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  transient_environment: boolean;
  production_environment: boolean;
  description: string | null;
  payload: Record<string, unknown> | string;
  created_at: string;
  statuses: StoredDeploymentStatus[];
  /** What the request said besides the above, kept so tests can read what ephenv asked for. */
  request: Record<string, unknown>;
}

const BOT = userBody({ login: 'github-actions[bot]', type: 'Bot' }, 41898282);

export function deploymentBody(d: StoredDeployment, owner: string, repo: string) {
  const api = `https://api.github.com/repos/${owner}/${repo}`;
  return {
    url: `${api}/deployments/${d.id}`,
    id: d.id,
    node_id: `DE_${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: 'deploy',
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: BOT,
    created_at: d.created_at,
    updated_at: d.statuses.at(-1)?.created_at ?? d.created_at,
    statuses_url: `${api}/deployments/${d.id}/statuses`,
    repository_url: api,
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
  };
}

export function deploymentStatusBody(d: StoredDeployment, s: StoredDeploymentStatus, owner: string, repo: string) {
  const api = `https://api.github.com/repos/${owner}/${repo}`;
  return {
    url: `${api}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: `DES_${s.id}`,
    state: s.state,
    creator: BOT,
    description: s.description,
    environment: d.environment,
    // GitHub answers "" for a status without a URL, which its own description (format: uri) does
    // not allow; the fake stays within the description and gives the status's API URL instead.
    target_url: s.log_url || `${api}/deployments/${d.id}/statuses/${s.id}`,
    created_at: s.created_at,
    updated_at: s.created_at,
    deployment_url: `${api}/deployments/${d.id}`,
    repository_url: api,
    // GitHub leaves out the URLs a status was not given.
    ...(s.environment_url && { environment_url: s.environment_url }),
    ...(s.log_url && { log_url: s.log_url }),
  };
}
