import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { linesTo } from '@ephenv/core';
import { githubContextFromEnv, MAX_STATUS_DESCRIPTION } from '@ephenv/report';
import { startFakeGitHub, type FakeGitHub, type StoredDeployment } from '@ephenv/report/testing';
import { previewDeployments } from './preview-deployments';
import { retirePreviewDeployments } from './retire-deployments';

let github: FakeGitHub;
let dir: string;
const fast = { msPerSecondOfWait: 1, writeSpacingMs: 0 };
const HEAD = 'a'.repeat(40);
const NEXT_HEAD = 'b'.repeat(40);
const RUN = 'https://github.com/acme/models/actions/runs/987654321';

beforeAll(async () => {
  github = await startFakeGitHub();
  dir = mkdtempSync(join(tmpdir(), 'ephenv-deployments-'));
});
afterAll(async () => {
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  // Every request and answer matched GitHub's REST API description.
  const violations = [...github.violations];
  github.reset();
  expect(violations).toEqual([]);
});

/** The environment of a pull_request run of the ephemeral-env workflow, with the PR's event file. */
function actionsEnv(headSha = HEAD, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const event = join(dir, `event-${headSha.slice(0, 4)}.json`);
  writeFileSync(event, JSON.stringify({ pull_request: { number: 7, head: { sha: headSha } } }));
  return {
    GITHUB_TOKEN: github.token,
    GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '987654321',
    GITHUB_EVENT_PATH: event,
    // The merge commit of a pull_request run, which the deployment must not use.
    GITHUB_SHA: 'c'.repeat(40),
    ...extra,
  };
}

function deploy(env: NodeJS.ProcessEnv, outcomes: Parameters<ReturnType<typeof previewDeployments>['finish']>[0]) {
  const log: string[] = [];
  const deployments = previewDeployments(dir, githubContextFromEnv(env), '7', linesTo((l) => log.push(l)), fast);
  return { log, run: async () => (await deployments.begin(Object.keys(outcomes)), await deployments.finish(outcomes)) };
}

const states = (d: StoredDeployment) => d.statuses.map((s) => s.state);
const of = (environment: string) => github.deployments.filter((d) => d.environment === environment);

describe('GitHub Deployments of the previews of PR 7', () => {
  it('creates one deployment per model on the head commit, in progress then success with the URL and the run', async () => {
    const { run, log } = deploy(actionsEnv(), {
      'iris-classifier': { ok: true, url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/' },
      'fraud-detector': { ok: true, url: 'https://def456.execute-api.eu-west-1.amazonaws.com/' },
    });
    await run();
    expect(github.deployments.map((d) => d.environment)).toEqual(['preview/iris-classifier/pr-7', 'preview/fraud-detector/pr-7']);
    for (const d of github.deployments) {
      expect(d).toMatchObject({ sha: HEAD, ref: HEAD, transient_environment: true, production_environment: false });
      expect(d.request).toMatchObject({ auto_merge: false, required_contexts: [] });
      expect(states(d)).toEqual(['in_progress', 'success']);
      expect(d.statuses.every((s) => s.log_url === RUN)).toBe(true);
    }
    expect(of('preview/iris-classifier/pr-7')[0].statuses[1].environment_url).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com/');
    expect(log).toContain('ephenv pr: GitHub deployment preview/fraud-detector/pr-7: success, https://def456.execute-api.eu-west-1.amazonaws.com/');
  });

  it('ends a failed deploy in failure with the reason, cut to the 140 characters GitHub keeps', async () => {
    const reason = `deploy-preview of iris-classifier failed: ${'terraform apply: Error creating SageMaker endpoint '.repeat(5)}`;
    await deploy(actionsEnv(), { 'iris-classifier': { ok: false, reason } }).run();
    const [d] = github.deployments;
    expect(states(d)).toEqual(['in_progress', 'failure']);
    expect(d.statuses[1].description).toHaveLength(MAX_STATUS_DESCRIPTION);
    expect(d.statuses[1].description.startsWith('deploy-preview of iris-classifier failed: terraform apply')).toBe(true);
    expect(d.statuses[1].environment_url).toBe('');
  });

  it('on a second push creates a new deployment and makes the older one inactive', async () => {
    await deploy(actionsEnv(HEAD), { 'iris-classifier': { ok: true, url: 'https://one.example/' } }).run();
    const { run, log } = deploy(actionsEnv(NEXT_HEAD), { 'iris-classifier': { ok: true, url: 'https://two.example/' } });
    await run();
    const [older, newer] = of('preview/iris-classifier/pr-7');
    expect([older.sha, newer.sha]).toEqual([HEAD, NEXT_HEAD]);
    expect(states(older)).toEqual(['in_progress', 'success', 'inactive']);
    expect(states(newer)).toEqual(['in_progress', 'success']);
    expect(log.at(-1)).toContain('(1 older deployment(s) now inactive)');
  });

  it('on close marks every deployment of the PR inactive and deletes the environments', async () => {
    await deploy(actionsEnv(HEAD), { 'iris-classifier': { ok: true, url: 'https://one.example/' }, 'fraud-detector': { ok: false, reason: 'quota' } }).run();
    await deploy(actionsEnv(NEXT_HEAD), { 'iris-classifier': { ok: true, url: 'https://two.example/' } }).run();
    const log: string[] = [];
    await retirePreviewDeployments(githubContextFromEnv(actionsEnv()), [{ project: 'iris-classifier', pr: '7' }, { project: 'fraud-detector', pr: '7' }], linesTo((l) => log.push(l)), fast);
    expect(github.deployments).toHaveLength(3);
    for (const d of github.deployments) expect(states(d).at(-1)).toBe('inactive');
    // The older iris deployment was already inactive: no second inactive status.
    expect(github.deployments.flatMap(states).filter((s) => s === 'inactive')).toHaveLength(3);
    expect(github.environments.size).toBe(0);
    expect(log).toEqual([
      'GitHub preview/iris-classifier/pr-7: 1 deployment(s) marked inactive; environment deleted',
      'GitHub preview/fraud-detector/pr-7: 1 deployment(s) marked inactive; environment deleted',
    ]);
  });

  it('keeps the environment, saying why, when the token may not delete it (GITHUB_TOKEN cannot)', async () => {
    await deploy(actionsEnv(), { 'iris-classifier': { ok: true, url: 'https://one.example/' } }).run();
    github.refuseEnvironmentDeletion = true;
    const log: string[] = [];
    await retirePreviewDeployments(githubContextFromEnv(actionsEnv()), [{ project: 'iris-classifier', pr: '7' }], linesTo((l) => log.push(l)), fast);
    expect(states(github.deployments[0]).at(-1)).toBe('inactive');
    expect(github.environments.has('preview/iris-classifier/pr-7')).toBe(true);
    expect(log[0]).toMatch(/1 deployment\(s\) marked inactive; environment preview\/iris-classifier\/pr-7 kept: this token may not delete environments \(403/);
  });

  it('turns a refused token into a warning naming the permission, not a failed deploy', async () => {
    github.failNext({ status: 403, body: { message: 'Resource not accessible by integration' } });
    const { run, log } = deploy(actionsEnv(), { 'iris-classifier': { ok: true, url: 'https://one.example/' } });
    await run();
    expect(log).toEqual([expect.stringMatching(/warning: the GitHub deployment of iris-classifier is not up to date: .*403.*permissions: deployments: write/)]);
    expect(github.deployments).toEqual([]);
  });

  it('is skipped with one log line outside GitHub Actions, and sends nothing', async () => {
    const { run, log } = deploy({}, { 'iris-classifier': { ok: true, url: 'http://127.0.0.1:8080/' } });
    await run();
    expect(log).toEqual(['ephenv pr: GitHub deployments skipped: no GitHub context (GITHUB_TOKEN and GITHUB_REPOSITORY not set)']);
    const retired: string[] = [];
    await retirePreviewDeployments(githubContextFromEnv({}), [{ project: 'iris-classifier', pr: '7' }], linesTo((l) => retired.push(l)));
    expect(retired).toEqual(['GitHub deployments left as they are: no GitHub context (GITHUB_TOKEN and GITHUB_REPOSITORY not set)']);
    expect(github.requests).toEqual([]);
  });
});
