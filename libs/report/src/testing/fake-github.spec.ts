import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../github-client';
import { startFakeGitHub, type FakeGitHub } from './fake-github';
import { checkResponse } from './openapi-validator';

let github: FakeGitHub;
let client: GitHubClient;

beforeAll(async () => {
  github = await startFakeGitHub();
  client = createGitHubClient({ apiUrl: github.url, owner: github.owner, repo: github.repo, token: github.token }, { msPerSecondOfWait: 1, writeSpacingMs: 0 });
});
afterAll(() => github.close());
afterEach(() => github.reset());

/** A request octokit's types would reject, as code building parameters at run time could still send. */
const malformed = (route: string, params: Record<string, unknown>) => client.request(route, params as never);

const status = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (e: { status?: number }) => e.status,
  );

describe("the fake GitHub holds requests to GitHub's REST API description", () => {
  it('accepts a well-formed request and records nothing', async () => {
    await client.rest.repos.createDeployment({ owner: 'acme', repo: 'models', ref: 'a'.repeat(40), environment: 'preview/m/pr-7', required_contexts: [], auto_merge: false });
    expect(github.violations).toEqual([]);
    expect(github.deployments).toHaveLength(1);
  });

  it('catches a misspelt body field with 422, as a violation that fails the test', async () => {
    expect(await status(malformed('POST /repos/{owner}/{repo}/deployments', { owner: 'acme', repo: 'models', ref: 'main', enviroment: 'preview/m/pr-7' }))).toBe(422);
    expect(github.violations).toEqual([expect.stringContaining('body field "enviroment" is not in the description of repos/create-deployment')]);
    expect(github.deployments).toEqual([]);
  });

  it('catches a missing required field, a wrong type, an unknown route, method and query parameter', async () => {
    await status(malformed('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { owner: 'acme', repo: 'models', deployment_id: 1, description: 'no state' }));
    await status(malformed('POST /repos/{owner}/{repo}/deployments', { owner: 'acme', repo: 'models', ref: 'main', auto_merge: 'no' }));
    expect(await status(malformed('GET /repos/{owner}/{repo}/deploymentz', { owner: 'acme', repo: 'models' }))).toBe(404);
    expect(await status(malformed('PUT /repos/{owner}/{repo}/deployments', { owner: 'acme', repo: 'models' }))).toBe(404);
    await status(malformed('GET /repos/{owner}/{repo}/deployments', { owner: 'acme', repo: 'models', enviroment: 'x' }));
    expect(github.violations).toEqual([
      expect.stringMatching(/statuses: .*must have required property 'state'/),
      expect.stringMatching(/body\/auto_merge must be boolean/),
      expect.stringContaining('/repos/acme/models/deploymentz is not in GitHub'),
      expect.stringContaining('PUT is not an operation of /repos/{owner}/{repo}/deployments'),
      expect.stringContaining('unknown query parameter "enviroment"'),
    ]);
  });

  it("checks the fake's own answers against the response schemas", () => {
    const operation = { operationId: 'repos/create-deployment', template: '/repos/{owner}/{repo}/deployments', params: {} };
    expect(checkResponse(operation, 'POST', 201, { id: 1, sha: 'abc' })).toEqual(expect.arrayContaining([expect.stringContaining("must have required property 'node_id'")]));
    expect(checkResponse(operation, 'POST', 299, {})).toEqual(['299 is not a documented answer of repos/create-deployment']);
  });
});
