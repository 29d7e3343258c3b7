import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeImagesCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy, ensureVenv, linesTo, gitSha, loadModelConfig, modelArtifactDir, resultsDir, type PreviewRecord } from '@ephenv/core';
import { emulatorClientConfig, startMoto, type MotoServer, awsTestEnv, bootstrapEmulator, commit, findPreviewResources, imageUri, prepareAwsWorkspace, REGION, setEnv, makeWorkspace, REPO, type TestWorkspace } from '@ephenv/testing';
import { AwsProvider, awsSettings, findProviderMirror, gatewayZipPath, resolveModelImage, stackDataDir, terraformEnv, type Docker } from '../src';
import { stackVariables } from '../src/aws/stack-variables';
import { modelContent } from '../src/model-content';

const run = promisify(execFile);
const PROJECT = 'iris-c';
const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: `sha256:${'e'.repeat(64)}` },
  layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 32654, digest: `sha256:${'f'.repeat(64)}` }],
});

interface ResourceChange {
  address: string;
  type: string;
  change: { actions: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null };
}

/**
 * A push that does not change the serving leaves the SageMaker endpoint alone, and pushes and builds
 * nothing: against moto with real Terraform (moto has no UpdateEndpoint, so an endpoint update
 * would fail the apply; the model-changed case is checked in Terraform's plan).
 */
// Timeouts from runs on a 2-core machine at a load average of 20-30: a cold deploy took 160 s.
describe('aws re-deploys keyed by the image content', () => {
  let moto: MotoServer;
  let ws: TestWorkspace;
  let restoreEnv: () => void;
  let ecr: ECRClient;
  const dockerCalls: string[][] = [];
  // No Docker engine here: any call is a build or push attempt, recorded, and fails the deploy.
  const docker: Docker = { run: async (args) => (dockerCalls.push(args), { code: 1, output: 'Cannot connect to the Docker daemon' }) };
  const projectDir = () => join(ws.root, 'apps', PROJECT);
  const modelDir = () => modelArtifactDir(ws.root, `apps/${PROJECT}`);

  const deploy = async (pr: string): Promise<PreviewRecord> => {
    const config = loadModelConfig(ws.root, `apps/${PROJECT}`);
    return new AwsProvider(linesTo(() => undefined), { docker }).deploy({ workspaceRoot: ws.root, project: PROJECT, projectRoot: `apps/${PROJECT}`, config, policy: defaultPolicy(), pr, gitSha: gitSha(ws.root) });
  };
  const commitAll = (message: string) => {
    execFileSync('git', ['add', '-A'], { cwd: ws.root });
    return commit(ws.root, message);
  };
  const pushImage = (tag: string) => ecr.send(new PutImageCommand({ repositoryName: PROJECT, imageManifest: MANIFEST, imageTag: tag }));
  const imageTags = async () => ((await ecr.send(new DescribeImagesCommand({ repositoryName: PROJECT }))).imageDetails ?? []).map((d) => [...(d.imageTags ?? [])].sort());

  /** What `terraform apply` would do for a deploy of this commit with this image: the plan, as JSON. */
  const plan = async (pr: string, image: string, token: string): Promise<ResourceChange[]> => {
    const env = { ...process.env, ...terraformEnv(ws.root), TF_DATA_DIR: stackDataDir(ws.root, PROJECT, pr), TF_VAR_token: token };
    const cwd = join(projectDir(), 'infra');
    const config = loadModelConfig(ws.root, `apps/${PROJECT}`);
    const vars = stackVariables({ project: PROJECT, pr, gitSha: gitSha(ws.root), imageUri: image, gatewayZip: gatewayZipPath(ws.root, PROJECT), region: REGION, config });
    await run('terraform', ['plan', '-lock=false', '-input=false', '-no-color', '-out=next.tfplan', ...Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`])], { cwd, env, maxBuffer: 64 << 20 });
    try {
      return JSON.parse((await run('terraform', ['show', '-json', 'next.tfplan'], { cwd, env, maxBuffer: 64 << 20 })).stdout).resource_changes;
    } finally {
      rmSync(join(cwd, 'next.tfplan'), { force: true });
    }
  };
  const sagemakerChanges = (changes: ResourceChange[]) =>
    changes.filter((c) => c.type.startsWith('aws_sagemaker_') && c.change.actions.join() !== 'no-op').map((c) => [c.address.replace('module.preview.', ''), c.change.actions.join()]);

  beforeAll(async () => {
    ws = await makeWorkspace([PROJECT]);
    prepareAwsWorkspace(ws.root);
    moto = await startMoto();
    restoreEnv = setEnv(awsTestEnv(moto.endpoint, findProviderMirror(REPO)));
    await bootstrapEmulator(moto.endpoint, [PROJECT]);
    ecr = new ECRClient(emulatorClientConfig(moto.endpoint));
  }, 300_000);

  afterAll(async () => {
    restoreEnv?.();
    await moto?.stop();
    ws?.cleanup();
  });

  let first: PreviewRecord;
  let firstSha: string;
  let contentTag: string;

  it('deploys PR 7 from the image its content names, already in ECR: nothing built or pushed, the commit added as a second tag', async () => {
    firstSha = commit(ws.root, 'first');
    contentTag = modelContent(projectDir(), modelDir()).tag;
    await pushImage(contentTag);

    first = await deploy('7');
    expect(dockerCalls).toEqual([]);
    expect(first.aws!.image_uri).toBe(imageUri(PROJECT, contentTag));
    expect(first.deployment).toMatchObject({ image: 'exists', endpoint: 'created' });
    expect(Object.keys(first.deployment!.phasesMs).sort()).toEqual(['apply', 'bundle', 'checks', 'image', 'init', 'ping', 'wait']);
    expect(first.deployment!.totalMs).toBeGreaterThan(0);
    // Two tags on the one image: its content and the commit.
    expect(await imageTags()).toEqual([[contentTag, firstSha].sort()]);
    const output = JSON.parse(readFileSync(join(resultsDir(ws.root, PROJECT), 'preview.json'), 'utf8'));
    expect(output.deployment).toEqual(first.deployment);
  }, 480_000);

  it('a push that changes a test and the k6 script: no build or push, no SageMaker change planned, GitSha follows, CreatedAt kept', async () => {
    appendFileSync(join(projectDir(), 'tests', 'test_app.py'), '\n\ndef test_more() -> None:\n    assert True\n');
    appendFileSync(join(projectDir(), 'load', 'k6.js'), '\n// a heavier ramp next time\n');
    const amended = commitAll('tests only');
    expect(modelContent(projectDir(), modelDir()).tag).toBe(contentTag);

    expect(sagemakerChanges(await plan('7', imageUri(PROJECT, contentTag), first.token))).toEqual([]);

    const second = await deploy('7');
    expect(dockerCalls).toEqual([]);
    expect(second.deployment).toMatchObject({ image: 'exists', endpoint: 'reused' });
    expect(second.aws).toMatchObject({ image_uri: first.aws!.image_uri, model_name: first.aws!.model_name, endpoint_config_name: first.aws!.endpoint_config_name, created_at: first.aws!.created_at });
    const found = await findPreviewResources(moto.endpoint, PROJECT, '7');
    expect([found.endpoints, found.endpointConfigs, found.models]).toEqual([[`${PROJECT}-pr-7`], [first.aws!.endpoint_config_name], [first.aws!.model_name]]);
    expect(found.tags.lambda).toMatchObject({ GitSha: amended, CreatedAt: first.aws!.created_at });
    expect(found.tags[`endpoint ${PROJECT}-pr-7`]).toMatchObject({ CreatedAt: first.aws!.created_at, ExpiresAt: first.aws!.expires_at });
    expect(found.tags[`endpoint ${PROJECT}-pr-7`].GitSha).toBeUndefined();
    expect(await imageTags()).toEqual([[contentTag, firstSha, amended].sort()]);

    // A re-deploy of the same commit adds no tag (tags may be immutable): the image is found as is.
    const again = await deploy('7');
    expect(again.deployment).toMatchObject({ image: 'exists', endpoint: 'reused' });
    expect(await imageTags()).toEqual([[contentTag, firstSha, amended].sort()]);
  }, 720_000);

  it('a change to train.py gives a new image tag, named in the error when it is missing, and a new model and endpoint config in the plan', async () => {
    const train = join(projectDir(), 'train.py');
    writeFileSync(train, readFileSync(train, 'utf8').replace('LogisticRegression(max_iter=1000', 'LogisticRegression(C=0.05, max_iter=1000'));
    const venv = await ensureVenv(REPO, join(REPO, 'apps', 'iris-classifier'));
    execFileSync(venv.python, [train, '--output', modelDir()], { stdio: 'ignore' });
    commitAll('retrain');

    const newTag = modelContent(projectDir(), modelDir()).tag;
    expect(newTag).not.toBe(contentTag);
    const request = { project: PROJECT, projectDir: projectDir(), modelDir: modelDir(), gitSha: gitSha(ws.root), settings: awsSettings(ws.root), docker, log: join(ws.root, 'image.log') };
    await expect(resolveModelImage(request)).rejects.toThrow(`${imageUri(PROJECT, newTag)} is not in ECR: build and push it there elsewhere`);
    expect(dockerCalls).toEqual([['version', '--format', '{{.Server.Version}}']]);

    // Built elsewhere and pushed under the tag the error named.
    await pushImage(newTag);
    const image = await resolveModelImage(request);
    expect(image).toMatchObject({ uri: imageUri(PROJECT, newTag), source: 'exists' });
    expect(sagemakerChanges(await plan('7', image.uri, first.token))).toEqual([
      ['aws_sagemaker_endpoint.this', 'update'],
      ['aws_sagemaker_endpoint_configuration.this', 'create,delete'],
      ['aws_sagemaker_model.this', 'create,delete'],
    ]);
  }, 480_000);
});
