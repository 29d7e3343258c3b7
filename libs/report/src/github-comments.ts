import { COMMENT_MARKER } from './render-report';
import { createGitHubClient, GitHubError, githubAnswer, isRateLimitError, WORKFLOW_HINT, type GitHubClientOptions, type GitHubTarget } from './github-client';

export { githubTargetFromEnv, GitHubError, type GitHubTarget } from './github-client';

export interface IssueComment {
  id: number;
  body?: string;
  html_url?: string;
  created_at?: string;
  user?: { login?: string; type?: string } | null;
}

export interface UpsertResult {
  action: 'created' | 'updated';
  id: number;
  url?: string;
}

export interface UpsertOptions extends GitHubClientOptions {
  marker?: string;
}

/** Turns Octokit's failure into what to change, for the PR being commented on. */
function explain(error: unknown, target: GitHubTarget, what: string, pr: number): GitHubError {
  if (error instanceof GitHubError) return error;
  const { owner, repo } = target;
  const { status, message } = githubAnswer(error);
  const quoted = message ? ` ("${message}")` : '';
  if (status === undefined) return new GitHubError(`cannot reach GitHub at ${target.apiUrl} while trying to ${what}: ${(error as Error).message}. Check GITHUB_API_URL and the network.`);
  if (isRateLimitError(error)) {
    const wait = Number((error as { response?: { headers?: Record<string, string> } }).response?.headers?.['retry-after']);
    return new GitHubError(
      Number.isFinite(wait) && wait > 60
        ? `GitHub asks to wait ${wait} s (rate limit) before trying to ${what}; run ephenv comment again later.`
        : `GitHub still rate-limits this token after one retry while trying to ${what} (${status}); run ephenv comment again in a few minutes.`,
      status,
    );
  }
  switch (status) {
    case 401:
      return new GitHubError(`GitHub rejected the token while trying to ${what} (401${quoted}): GITHUB_TOKEN is invalid or expired. ${WORKFLOW_HINT}`, 401);
    case 403:
      return new GitHubError(
        `GitHub refused to let this token ${what} on ${owner}/${repo}#${pr} (403${quoted}): the token lacks permission to write pull request comments. ${WORKFLOW_HINT} ` +
          `A pull request from a fork gets a read-only token: comment from a pull_request_target or workflow_run workflow instead.`,
        403,
      );
    case 404:
      return new GitHubError(
        `GitHub found nothing at ${owner}/${repo}#${pr} while trying to ${what} (404${quoted}): check GITHUB_REPOSITORY (${owner}/${repo}) and --pr ${pr}; a token without access to a private repository gets 404 too.`,
        404,
      );
    case 422:
      return new GitHubError(`GitHub did not accept the comment while trying to ${what} (422${quoted}): is it over 65,536 characters?`, 422);
    default:
      return new GitHubError(`GitHub answered ${status}${quoted} while trying to ${what} on ${owner}/${repo}#${pr}; try again later (https://www.githubstatus.com).`, status);
  }
}

/**
 * The comment to update among those carrying the marker: one written by a bot (the Actions token
 * writes as github-actions[bot]; a person quoting the marker must not be overwritten) if any,
 * else any; the newest of them.
 */
export function pickStickyComment(comments: IssueComment[], marker = COMMENT_MARKER): IssueComment | undefined {
  const marked = comments.filter((c) => typeof c.body === 'string' && c.body.trimStart().startsWith(marker));
  const bots = marked.filter((c) => c.user?.type === 'Bot');
  const pool = bots.length > 0 ? bots : marked;
  const time = (c: IssueComment) => Date.parse(c.created_at ?? '') || 0;
  return pool.reduce<IssueComment | undefined>((newest, c) => (!newest || time(c) > time(newest) || (time(c) === time(newest) && c.id > newest.id) ? c : newest), undefined);
}

/** Creates the PR's sticky comment, or updates it in place when one with the marker exists. */
export async function upsertStickyComment(target: GitHubTarget, pr: number, body: string, options: UpsertOptions = {}): Promise<UpsertResult> {
  const marker = options.marker ?? COMMENT_MARKER;
  if (!body.trimStart().startsWith(marker)) throw new GitHubError(`the comment does not start with ${marker}: write it with "ephenv report" so later runs find and update it`);
  const github = createGitHubClient(target, options);
  const { owner, repo } = target;
  const attempt = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (e) {
      throw explain(e, target, what, pr);
    }
  };
  const comments = await attempt('list the pull request comments', () => github.paginate(github.rest.issues.listComments, { owner, repo, issue_number: pr, per_page: 100 }));
  const existing = pickStickyComment(comments as IssueComment[], marker);
  const written = existing
    ? await attempt('update the preview comment', () => github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body }))
    : await attempt('create the preview comment', () => github.rest.issues.createComment({ owner, repo, issue_number: pr, body }));
  return { action: existing ? 'updated' : 'created', id: written.data.id, url: written.data.html_url };
}
