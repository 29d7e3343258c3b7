import { request, type Dispatcher } from 'undici';
import { COMMENT_MARKER } from './render-report';

/** Where and as whom to write: from GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL. */
export interface GitHubTarget {
  apiUrl: string;
  owner: string;
  repo: string;
  token: string;
}

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

export interface UpsertOptions {
  marker?: string;
  dispatcher?: Dispatcher;
  /** How to wait before the one retry; tests replace it to observe the delay. */
  sleep?: (ms: number) => Promise<void>;
}

/** A GitHub answer the caller must act on; the message says what to change. Never holds the token. */
export class GitHubError extends Error {
  override name = 'GitHubError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const WORKFLOW_HINT =
  'In the workflow, give the step `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` and the job `permissions: pull-requests: write`.';
/** Longest wait honoured before the retry: a longer Retry-After fails now rather than stalling CI. */
const MAX_RETRY_WAIT_MS = 60_000;
const DEFAULT_RETRY_WAIT_MS = 1_000;

export function githubTargetFromEnv(env: NodeJS.ProcessEnv = process.env): GitHubTarget {
  const token = env.GITHUB_TOKEN;
  if (!token) throw new GitHubError(`GITHUB_TOKEN is not set: ephenv comment needs a token that may write pull request comments. ${WORKFLOW_HINT}`);
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner, repo, ...extra] = repository.split('/');
  if (!owner || !repo || extra.length > 0) {
    throw new GitHubError(
      repository
        ? `GITHUB_REPOSITORY must be "owner/repo", got "${repository}"`
        : 'GITHUB_REPOSITORY is not set: GitHub Actions sets it to "owner/repo"; elsewhere set it yourself (e.g. GITHUB_REPOSITORY=acme/models).',
    );
  }
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  try {
    new URL(apiUrl);
  } catch {
    throw new GitHubError(`GITHUB_API_URL "${apiUrl}" is not a URL (GitHub Actions sets it; the default is https://api.github.com)`);
  }
  return { apiUrl, owner, repo, token };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const header = (headers: Answer['headers'], name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function githubMessage(body: unknown): string {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : '';
}

/** A 403/429 that asks to slow down (primary or secondary rate limit), as opposed to a refusal. */
function isRateLimited(answer: Answer): boolean {
  if (answer.status === 429) return true;
  if (answer.status !== 403) return false;
  return header(answer.headers, 'retry-after') !== undefined || header(answer.headers, 'x-ratelimit-remaining') === '0' || /rate limit/i.test(githubMessage(answer.body));
}

/** How long GitHub asks to wait: Retry-After, else until the rate limit resets, else a second. */
function retryDelay(answer: Answer): number {
  const retryAfter = Number(header(answer.headers, 'retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const reset = Number(header(answer.headers, 'x-ratelimit-reset'));
  if (header(answer.headers, 'x-ratelimit-remaining') === '0' && Number.isFinite(reset)) return Math.max(0, reset * 1000 - Date.now());
  return DEFAULT_RETRY_WAIT_MS;
}

/** The URL of the next page from a Link header (RFC 8288), as GitHub paginates. */
export function nextPageUrl(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match && match[2].split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}

class GitHubClient {
  constructor(
    private readonly target: GitHubTarget,
    private readonly options: UpsertOptions,
  ) {}

  private explain(answer: Answer, what: string, pr: number): GitHubError {
    const { owner, repo } = this.target;
    const said = githubMessage(answer.body);
    const quoted = said ? ` ("${said}")` : '';
    switch (answer.status) {
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
        return new GitHubError(`GitHub answered ${answer.status}${quoted} while trying to ${what} on ${owner}/${repo}#${pr}; try again later (https://www.githubstatus.com).`, answer.status);
    }
  }

  private async send(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown): Promise<Answer> {
    const origin = new URL(this.target.apiUrl).origin;
    // The token goes to the configured API only, whatever a Link header points to.
    if (new URL(url).origin !== origin) throw new GitHubError(`GitHub pointed to ${new URL(url).origin}, outside GITHUB_API_URL (${origin}); not sending the token there`);
    let res;
    try {
      res = await request(url, {
        method,
        dispatcher: this.options.dispatcher,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${this.target.token}`,
          'x-github-api-version': '2022-11-28',
          'user-agent': 'ephenv',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
    } catch (e) {
      throw new GitHubError(`cannot reach GitHub at ${origin}: ${(e as Error).message}. Check GITHUB_API_URL and the network.`);
    }
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // GitHub answers JSON; anything else (a proxy's error page) is kept as text for the message.
    }
    return { status: res.statusCode, headers: res.headers, body: parsed };
  }

  /** One call, retried once after GitHub's requested wait on a 5xx or a rate limit. */
  async call(method: 'GET' | 'POST' | 'PATCH', url: string, what: string, pr: number, body?: unknown): Promise<Answer> {
    let answer = await this.send(method, url, body);
    if (answer.status >= 500 || isRateLimited(answer)) {
      const wait = retryDelay(answer);
      if (wait > MAX_RETRY_WAIT_MS) {
        throw new GitHubError(`GitHub asks to wait ${Math.ceil(wait / 1000)} s (rate limit) before trying to ${what}; run ephenv comment again later.`, answer.status);
      }
      await (this.options.sleep ?? sleep)(wait);
      answer = await this.send(method, url, body);
    }
    if (isRateLimited(answer)) {
      throw new GitHubError(`GitHub still rate-limits this token after one retry while trying to ${what} (${answer.status}); run ephenv comment again in a few minutes.`, answer.status);
    }
    if (answer.status < 200 || answer.status >= 300) throw this.explain(answer, what, pr);
    return answer;
  }

  async listComments(pr: number): Promise<IssueComment[]> {
    const { apiUrl, owner, repo } = this.target;
    const comments: IssueComment[] = [];
    let url: string | undefined = `${apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues/${pr}/comments?per_page=100`;
    while (url) {
      const answer = await this.call('GET', url, 'list the pull request comments', pr);
      if (!Array.isArray(answer.body)) throw new GitHubError(`GitHub's list of comments of ${owner}/${repo}#${pr} is not a list: is GITHUB_API_URL a GitHub API?`);
      comments.push(...(answer.body as IssueComment[]));
      url = nextPageUrl(header(answer.headers, 'link'));
    }
    return comments;
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
  const client = new GitHubClient(target, options);
  const { apiUrl, owner, repo } = target;
  const existing = pickStickyComment(await client.listComments(pr), marker);
  const answer = existing
    ? await client.call('PATCH', `${apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues/comments/${existing.id}`, 'update the preview comment', pr, { body })
    : await client.call('POST', `${apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues/${pr}/comments`, 'create the preview comment', pr, { body });
  const written = answer.body as IssueComment;
  return { action: existing ? 'updated' : 'created', id: written?.id ?? existing!.id, url: written?.html_url };
}
