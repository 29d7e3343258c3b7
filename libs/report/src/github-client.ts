import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';

/** Where and as whom to write: from GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL. */
export interface GitHubTarget {
  apiUrl: string;
  owner: string;
  repo: string;
  token: string;
}

export interface GitHubClientOptions {
  /** Milliseconds per second of wait GitHub asks for; tests shrink it, the waits asked are still reported. */
  msPerSecondOfWait?: number;
  /** Minimum spacing of write requests (GitHub asks for about one a second to avoid secondary limits). */
  writeSpacingMs?: number;
  /** Told the wait a rate limit asks for before the retry, in seconds. */
  onRateLimitWait?: (seconds: number) => void;
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

export const WORKFLOW_HINT =
  'In the workflow, give the step `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` and the job `permissions: pull-requests: write`.';
/** Longest wait honoured before the retry: a longer one fails now rather than stalling CI. */
export const MAX_RETRY_WAIT_SECONDS = 60;
const API_VERSION = '2022-11-28';
const REQUEST_TIMEOUT_MS = 30_000;

export function githubTargetFromEnv(env: NodeJS.ProcessEnv = process.env): GitHubTarget {
  const token = env.GITHUB_TOKEN;
  if (!token) throw new GitHubError(`GITHUB_TOKEN is not set: ephenv needs a token that may write to the pull request. ${WORKFLOW_HINT}`);
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

const Client = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof Client>;

/**
 * Octokit for the target: one retry after a 5xx (retry plugin) or after the wait a rate limit
 * asks for (throttling plugin, which also spaces writes); the token only ever goes to GITHUB_API_URL.
 */
export function createGitHubClient(target: GitHubTarget, options: GitHubClientOptions = {}): GitHubClient {
  const msPerSecond = options.msPerSecondOfWait ?? 1000;
  const origin = new URL(target.apiUrl).origin;
  const onLimit = (seconds: number, _request: unknown, _octokit: unknown, retryCount: number) => {
    if (retryCount > 0 || seconds > MAX_RETRY_WAIT_SECONDS) return false;
    options.onRateLimitWait?.(seconds);
    return true;
  };
  const octokit = new Client({
    auth: target.token,
    baseUrl: target.apiUrl,
    userAgent: 'ephenv',
    // Octokit's own log would print every 4xx; ephenv reports them with the fix instead.
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    retry: { retries: 1, retryAfterBaseValue: msPerSecond, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
    throttle: {
      onRateLimit: onLimit,
      onSecondaryRateLimit: onLimit,
      retryAfterBaseValue: msPerSecond,
      // A throttle group per client: its spacing must not leak into other clients of the process.
      id: `ephenv-${Math.random().toString(36).slice(2)}`,
      ...(options.writeSpacingMs !== undefined && { write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeSpacingMs }) }),
    },
  });
  octokit.hook.before('request', (request) => {
    // A Link header (pagination) may name any URL: the token goes to the configured API only.
    if (/^https?:\/\//i.test(request.url) && new URL(request.url).origin !== origin) {
      throw new GitHubError(`GitHub pointed to ${new URL(request.url).origin}, outside GITHUB_API_URL (${origin}); not sending the token there`);
    }
    request.headers.accept = 'application/vnd.github+json';
    request.headers['x-github-api-version'] = API_VERSION;
    request.request = { ...request.request, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) };
  });
  return octokit;
}

/** What GitHub said about a failed request, without anything the request carried. */
export function githubAnswer(error: unknown): { status?: number; message: string } {
  const e = error as { status?: number; response?: { data?: unknown }; message?: string };
  const data = e.response?.data as { message?: unknown } | string | undefined;
  const message = typeof data === 'object' && data && typeof data.message === 'string' ? data.message : typeof data === 'string' && data.length < 200 ? data : '';
  return { status: typeof e.status === 'number' && e.status > 0 ? e.status : undefined, message };
}

/** Was this a rate limit the client gave up on (403 asking to slow down, or 429)? */
export function isRateLimitError(error: unknown): boolean {
  const e = error as { status?: number; response?: { headers?: Record<string, string> } };
  const headers = e.response?.headers ?? {};
  const { message } = githubAnswer(error);
  return e.status === 429 || (e.status === 403 && (headers['retry-after'] !== undefined || headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message)));
}
