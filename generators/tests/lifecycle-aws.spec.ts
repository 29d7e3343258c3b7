import { ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClientConfig, startMoto, type MotoServer, injectOrphan, awsTestEnv, bootstrapEmulator, findPreviewResources, REPO } from '@ephenv/testing';
import { startFakeGitHub, type FakeGitHub } from '@ephenv/report/testing';
import { cleanCheckout, ephenvAsync, git, nx } from './support/checkout';
import { findProviderMirror } from '@ephenv/preview';

const MODELS = ['iris-classifier', 'fraud-detector'];
// moto cannot update an endpoint in place (no UpdateEndpoint), so every deploy here uses one image tag.
const IMAGE_TAG = 'lifecycle';

/**
 * PR 42 from opened to closed, as the ephemeral-env workflow runs it, against moto with real
 * Terraform: `ephenv pr --provider aws`, `ephenv comment`, `ephenv destroy --pr`, `ephenv reap`.
 */
describe('the PR lifecycle on AWS (moto)', () => {
  let root: string;
  let moto: MotoServer;
  let github: FakeGitHub;
  let env: Record<string, string>;
  const run = (...args: string[]) => ephenvAsync(env, root, ...args);
  const resources = (model: string) => findPreviewResources(moto.endpoint, model, '42');
  const commitChange = (file: string, line: string, message: string) => {
    writeFileSync(join(root, file), readFileSync(join(root, file), 'utf8') + line);
    git(root, 'commit', '-qam', message);
    return git(root, 'rev-parse', 'HEAD').trim();
  };

  beforeAll(async () => {
    moto = await startMoto();
    github = await startFakeGitHub();
    root = cleanCheckout();
    const generated = nx(root, 'g', '@ephenv:model', 'fraud-detector', '--no-interactive');
    expect(generated.code, generated.out).toBe(0);
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'fraud-detector');
    git(root, 'checkout', '-qb', 'pr-42');
    await bootstrapEmulator(moto.endpoint, MODELS);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: `sha256:${'c'.repeat(64)}` },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 32654, digest: `sha256:${'d'.repeat(64)}` }],
    });
    const ecr = new ECRClient(emulatorClientConfig(moto.endpoint));
    for (const model of MODELS) await ecr.send(new PutImageCommand({ repositoryName: model, imageManifest: manifest, imageTag: IMAGE_TAG }));
    env = {
      ...awsTestEnv(moto.endpoint, findProviderMirror(REPO)),
      EPHENV_IMAGE_TAG: IMAGE_TAG,
      // As the ephemeral-env workflow sets it for every job.
      EPHENV_PROVIDER: 'aws',
      GITHUB_TOKEN: github.token,
      GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '4242',
    };
  }, 300_000);

  afterAll(async () => {
    // Every request ephenv sent GitHub, over the whole lifecycle, matched GitHub's API description.
    expect(github?.violations ?? []).toEqual([]);
    await github?.close();
    await moto?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  let createdAt: string;

  it('opened: deploys only the affected model and creates the one comment', async () => {
    const sha = commitChange('apps/fraud-detector/train.py', '\n# tuned\n', 'tune fraud-detector');
    const pr = await run('pr', '--provider', 'aws', '--pr', '42', '--base', 'main', '--checks', 'validate');
    expect(pr.code, pr.out).toBe(0);
    expect(pr.out).toContain('1 model(s): fraud-detector');
    const comment = await run('comment', '--pr', '42');
    expect(comment.code, comment.out).toBe(0);

    const fraud = await resources('fraud-detector');
    expect(fraud.endpoints).toEqual(['fraud-detector-pr-42']);
    expect((await resources('iris-classifier')).endpoints).toEqual([]);
    const tags = fraud.tags['endpoint fraud-detector-pr-42'];
    expect(tags).toMatchObject({ PR_Number: '42', Environment: 'Ephemeral', ManagedBy: 'ephenv', Project: 'fraud-detector' });
    // Which commit runs is on the gateway Lambda; the endpoint changes only with the serving.
    expect(fraud.tags.lambda).toMatchObject({ GitSha: sha, PR_Number: '42' });
    createdAt = tags.CreatedAt;

    const comments = github.comments.get(42) ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('<!-- ephenv:preview-comment -->');
    expect(comments[0].body).toContain('fraud-detector');
    const record = JSON.parse(readFileSync(join(root, '.ephenv/previews/fraud-detector.json'), 'utf8'));
    expect(comments[0].body).not.toContain(record.token);

    // The PR's "View deployment" box: one deployment of the deployed model, on the pushed commit.
    expect(github.deployments.map((d) => [d.environment, d.sha, d.statuses.map((s) => s.state)])).toEqual([['preview/fraud-detector/pr-42', sha, ['in_progress', 'success']]]);
    expect(github.deployments[0].statuses[1]).toMatchObject({ environment_url: record.url, log_url: 'https://github.com/acme/models/actions/runs/4242' });
  }, 300_000);

  it('synchronize: updates the preview in place and the same comment', async () => {
    const sha = commitChange('apps/fraud-detector/README.md', '\nRetrained on more data.\n', 'document fraud-detector');
    const pr = await run('pr', '--provider', 'aws', '--pr', '42', '--base', 'main', '--checks', 'validate');
    expect(pr.code, pr.out).toBe(0);
    expect((await run('comment', '--pr', '42')).code).toBe(0);

    const fraud = await resources('fraud-detector');
    expect(fraud.endpoints).toEqual(['fraud-detector-pr-42']);
    expect(fraud.endpointConfigs).toHaveLength(1);
    expect(fraud.tags['endpoint fraud-detector-pr-42']).toMatchObject({ CreatedAt: createdAt });
    expect(fraud.tags.lambda).toMatchObject({ GitSha: sha, CreatedAt: createdAt });
    const comments = github.comments.get(42) ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain(sha.slice(0, 7));
    const [older, newer] = github.deployments;
    expect(newer).toMatchObject({ environment: 'preview/fraud-detector/pr-42', sha });
    expect(newer.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(older.statuses.map((s) => s.state)).toEqual(['in_progress', 'success', 'inactive']);
  }, 300_000);

  it('closed: destroys every preview of the PR, and the reaper removes an orphan', async () => {
    const destroyed = await run('destroy', '--pr', '42');
    expect(destroyed.code, destroyed.out).toBe(0);
    const fraud = await resources('fraud-detector');
    expect(fraud).toMatchObject({ endpoints: [], endpointConfigs: [], models: [], apis: [], logGroups: [], roles: [] });
    expect(fraud.lambda).toBeUndefined();
    expect(fraud.parameter).toBeUndefined();
    expect(github.deployments.map((d) => d.statuses.at(-1)?.state)).toEqual(['inactive', 'inactive']);
    expect(github.environments.has('preview/fraud-detector/pr-42')).toBe(false);
    expect(destroyed.out).toContain('GitHub preview/fraud-detector/pr-42: 1 deployment(s) marked inactive; environment deleted');

    const orphan = await injectOrphan(moto.endpoint, { project: 'iris-classifier', pr: '41', expiresAt: new Date(Date.now() - 3600_000) });
    const reaped = await run('reap');
    expect(reaped.code, reaped.out).toBe(0);
    expect(await orphan.remaining()).toEqual([]);
    // The orphan never had a deployment: nothing to deactivate, and its environment is not found.
    expect(reaped.out).toContain('GitHub preview/iris-classifier/pr-41: 0 deployment(s) marked inactive; environment preview/iris-classifier/pr-41 not found');
  }, 300_000);
});
