import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitHubError, githubTargetFromEnv, pickStickyComment, upsertStickyComment, type GitHubTarget, type UpsertOptions } from './github-comments';
import { COMMENT_MARKER } from './render-report';
import { startFakeGitHub, type FakeGitHub } from './testing/fake-github';

let github: FakeGitHub;
/** Seconds GitHub asked to wait before a retry; the waits themselves are shrunk to milliseconds. */
const waits: number[] = [];
const fast: UpsertOptions = { msPerSecondOfWait: 1, writeSpacingMs: 0, onRateLimitWait: (seconds) => waits.push(seconds) };

const body = (text: string) => `${COMMENT_MARKER}\n## ${text}\n`;
const target = (overrides: Partial<GitHubTarget> = {}): GitHubTarget => ({ apiUrl: github.url, owner: github.owner, repo: github.repo, token: github.token, ...overrides });

async function failure(promise: Promise<unknown>): Promise<GitHubError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitHubError);
  return error as GitHubError;
}

beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(() => github.close());
afterEach(() => {
  // Every request ephenv sent, and every answer the fake gave, matched GitHub's API description.
  const violations = [...github.violations];
  github.reset();
  expect(violations).toEqual([]);
  waits.length = 0;
});

describe('upsertStickyComment against a GitHub API on loopback', () => {
  it('creates the comment on the first run and updates that same comment on the next', async () => {
    const first = await upsertStickyComment(target(), 7, body('first run'), fast);
    expect(first.action).toBe('created');
    expect(github.requests).toEqual(['GET /repos/acme/models/issues/7/comments?per_page=100', 'POST /repos/acme/models/issues/7/comments']);

    const second = await upsertStickyComment(target(), 7, body('second run'), fast);
    expect(second).toMatchObject({ action: 'updated', id: first.id, url: first.url });
    expect(github.requests.at(-1)).toBe(`PATCH /repos/acme/models/issues/comments/${first.id}`);
    expect(github.comments.get(7)).toHaveLength(1);
    expect(github.comments.get(7)![0].body).toBe(body('second run'));
  });

  it('follows the Link header to find the comment on a later page', async () => {
    github.pageSize = 2;
    for (let i = 0; i < 4; i++) github.seed(9, `a review remark ${i}`, { login: 'alice', type: 'User' });
    const existing = github.seed(9, body('earlier run'));
    github.seed(9, 'a later remark', { login: 'bob', type: 'User' });

    const result = await upsertStickyComment(target(), 9, body('this run'), fast);
    expect(result).toMatchObject({ action: 'updated', id: existing.id });
    expect(github.requests.filter((r) => r.startsWith('GET'))).toEqual([
      'GET /repos/acme/models/issues/9/comments?per_page=100',
      'GET /repos/acme/models/issues/9/comments?per_page=100&page=2',
      'GET /repos/acme/models/issues/9/comments?per_page=100&page=3',
    ]);
    expect(github.comments.get(9)).toHaveLength(6);
  });

  it("updates the newest bot comment, not a person's comment quoting the marker", async () => {
    const older = github.seed(3, body('old run'));
    const newer = github.seed(3, body('newer run'));
    github.seed(3, `${COMMENT_MARKER}\nwhy does this say failed?`, { login: 'carol', type: 'User' });
    const result = await upsertStickyComment(target(), 3, body('this run'), fast);
    expect(result.id).toBe(newer.id);
    expect(github.comments.get(3)!.find((c) => c.id === older.id)!.body).toBe(body('old run'));
    expect(github.comments.get(3)!.at(-1)!.body).toContain('why does this say failed?');
  });

  it('retries once after a 5xx', async () => {
    github.failNext({ status: 502, body: { message: 'Server Error' } });
    const result = await upsertStickyComment(target(), 4, body('run'), fast);
    expect(result.action).toBe('created');
    expect(github.requests.filter((r) => r.startsWith('GET'))).toHaveLength(2);
  });

  it('honours Retry-After on a secondary rate limit, then succeeds', async () => {
    github.failNext({ status: 403, body: { message: 'You have exceeded a secondary rate limit.' }, headers: { 'retry-after': '3' } });
    await upsertStickyComment(target(), 4, body('run'), fast);
    expect(waits).toEqual([3]);
    expect(github.comments.get(4)).toHaveLength(1);
  });

  it('fails at once, saying when to try again, when GitHub asks for more than a minute', async () => {
    github.failNext({ status: 403, body: { message: 'You have exceeded a secondary rate limit.' }, headers: { 'retry-after': '900' } });
    const error = await failure(upsertStickyComment(target(), 4, body('run'), fast));
    expect(error.message).toContain('GitHub asks to wait 900 s (rate limit)');
    expect(github.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('gives up after one retry when GitHub keeps failing', async () => {
    github.failNext({ status: 503 }, { status: 503, body: { message: 'Service Unavailable' } });
    const error = await failure(upsertStickyComment(target(), 4, body('run'), fast));
    expect(error.status).toBe(503);
    expect(error.message).toContain('GitHub answered 503 ("Service Unavailable")');
    expect(github.requests.filter((r) => r.startsWith('GET'))).toHaveLength(2);
    expect(github.comments.get(4)).toBeUndefined();
  });

  it('maps a wrong token to a 401 message that does not show the token', async () => {
    const wrong = 'ghp_wrongTokenThatMustNotBePrinted123';
    const error = await failure(upsertStickyComment(target({ token: wrong }), 4, body('run'), fast));
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/rejected the token .*401 \("Bad credentials"\).*invalid or expired/);
    expect(error.message).toContain('secrets.GITHUB_TOKEN');
    expect(error.message).not.toContain(wrong);
    expect(waits).toEqual([]);
  });

  it('maps a 403 without rate limiting to the permissions the workflow needs', async () => {
    github.failNext({ status: 403, body: { message: 'Resource not accessible by integration' } });
    const error = await failure(upsertStickyComment(target(), 4, body('run'), fast));
    expect(error.message).toContain('403 ("Resource not accessible by integration")');
    expect(error.message).toContain('permissions: pull-requests: write');
    expect(waits).toEqual([]);
  });

  it('maps a 404 to the repository and PR to check', async () => {
    const error = await failure(upsertStickyComment(target({ repo: 'no-such-repo' }), 4, body('run'), fast));
    expect(error.status).toBe(404);
    expect(error.message).toContain('acme/no-such-repo#4');
    expect(error.message).toContain('check GITHUB_REPOSITORY (acme/no-such-repo) and --pr 4');
  });

  it('does not follow a Link header to another origin with the token', async () => {
    github.failNext({ status: 200, body: [], headers: { link: '<https://evil.example/steal?page=2>; rel="next"' } });
    const error = await failure(upsertStickyComment(target(), 4, body('run'), fast));
    expect(error.message).toContain('outside GITHUB_API_URL');
    expect(github.requests).toHaveLength(1);
  });

  it('refuses a body without the marker, which later runs could not find', async () => {
    const error = await failure(upsertStickyComment(target(), 4, '## no marker', fast));
    expect(error.message).toContain(COMMENT_MARKER);
    expect(github.requests).toEqual([]);
  });
});

describe('githubTargetFromEnv', () => {
  it('reads the token, the repository and the API URL', () => {
    expect(githubTargetFromEnv({ GITHUB_TOKEN: 't0k3n-value', GITHUB_REPOSITORY: 'acme/models', GITHUB_API_URL: 'https://ghe.example/api/v3/' })).toEqual({
      apiUrl: 'https://ghe.example/api/v3',
      owner: 'acme',
      repo: 'models',
      token: 't0k3n-value',
    });
    expect(githubTargetFromEnv({ GITHUB_TOKEN: 'x', GITHUB_REPOSITORY: 'acme/models' }).apiUrl).toBe('https://api.github.com');
  });

  it('says how to provide a missing token or repository', () => {
    expect(() => githubTargetFromEnv({ GITHUB_REPOSITORY: 'acme/models' })).toThrow(/GITHUB_TOKEN is not set.*env: GITHUB_TOKEN: \$\{\{ secrets.GITHUB_TOKEN \}\}.*permissions: pull-requests: write/);
    expect(() => githubTargetFromEnv({ GITHUB_TOKEN: 'x' })).toThrow(/GITHUB_REPOSITORY is not set/);
    expect(() => githubTargetFromEnv({ GITHUB_TOKEN: 'x', GITHUB_REPOSITORY: 'models' })).toThrow(/must be "owner\/repo", got "models"/);
  });
});

describe('pickStickyComment', () => {
  it('picks the newest marked bot comment, else the newest marked one', () => {
    const c = (id: number, text: string, type: 'Bot' | 'User', at: string) => ({ id, body: text, user: { login: type === 'Bot' ? 'github-actions[bot]' : 'dave', type }, created_at: at });
    expect(pickStickyComment([c(1, body('a'), 'User', '2026-01-01T00:00:00Z'), c(2, body('b'), 'User', '2026-01-02T00:00:00Z')])?.id).toBe(2);
    expect(pickStickyComment([c(1, body('a'), 'Bot', '2026-01-01T00:00:00Z'), c(2, body('b'), 'User', '2026-01-02T00:00:00Z')])?.id).toBe(1);
    expect(pickStickyComment([c(1, `quote: ${COMMENT_MARKER}`, 'Bot', '2026-01-01T00:00:00Z')])).toBeUndefined();
  });

});
