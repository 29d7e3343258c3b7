import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linesTo, type PreviewRecord, readRecord, recordPath, resultsDir } from '@ephenv/core';
import { emulatorClientConfig, startMoto, type MotoServer, awsTestEnv, bootstrapEmulator, commit, findPreviewResources, imageUri, LOCK_TABLE, prepareAwsWorkspace, REGION, setEnv, STATE_BUCKET, makeWorkspace, type TestWorkspace, REPO } from '@ephenv/testing';
import {
  awsSettings,
  deployPreview,
  destroyPr,
  destroyPreview,
  DockerCli,
  gatewayZipPath,
  readPreviewLogs,
  resolveModelImage,
  stackDataDir,
  stateKey,
  terraformEnv,
  type Docker,
  findProviderMirror,
} from '../src';
import { stackVariables } from '../src/aws/stack-variables';
import { modelContent } from '../src/model-content';

const run = promisify(execFile);

describe('aws previews against moto with real Terraform', () => {
  let moto: MotoServer;
  let ws: TestWorkspace;
  let restoreEnv: () => void;
  let lines: string[] = [];
  const report = linesTo((line) => lines.push(line));
  const ref = (project: string) => ({ workspaceRoot: ws.root, project, projectRoot: `apps/${project}` });
  const deploy = (project: string, pr: string, sha: string, extra: Record<string, string> = {}) =>
    deployPreview(ref(project), { provider: 'aws', pr, imageUri: imageUri(project, sha), ...extra }, report);

  /** Terraform run by the test itself on a preview's state (same data dir and CLI config as ephenv's). */
  const terraform = async (project: string, pr: string, args: string[], token = 'x'.repeat(32)) => {
    const env = { ...process.env, ...terraformEnv(ws.root), TF_DATA_DIR: stackDataDir(ws.root, project, pr), TF_VAR_token: token };
    return run('terraform', args, { cwd: join(ws.root, 'apps', project, 'infra'), env, maxBuffer: 64 * 1024 * 1024 });
  };
  const stateList = async (project: string, pr: string) => (await terraform(project, pr, ['state', 'list'])).stdout.trim().split('\n').sort();

  const expectedTags = (project: string, pr: string, sha: string, record: PreviewRecord) => ({
    Environment: 'Ephemeral',
    ManagedBy: 'ephenv',
    Project: project,
    PR_Number: pr,
    GitSha: sha,
    CreatedAt: record.aws!.created_at,
    ExpiresAt: record.aws!.expires_at,
  });

  const expectGone = async (project: string, pr: string) => {
    const left = await findPreviewResources(moto.endpoint, project, pr);
    expect(left).toEqual({ endpoints: [], endpointConfigs: [], models: [], lambda: undefined, apis: [], logGroups: [], parameter: undefined, roles: [], tags: {} });
  };

  beforeAll(async () => {
    ws = await makeWorkspace(['iris-a', 'iris-b']);
    prepareAwsWorkspace(ws.root);
    moto = await startMoto();
    restoreEnv = setEnv(awsTestEnv(moto.endpoint, findProviderMirror(REPO)));
    await bootstrapEmulator(moto.endpoint, ws.projects);
  }, 300_000);

  afterAll(async () => {
    restoreEnv?.();
    await moto?.stop();
    ws?.cleanup();
  });

  let first: PreviewRecord;
  let firstSha: string;
  let pr7State: string[];

  it('deploys PR 7 from --imageUri: every resource exists, wired and tagged; the record holds the token, preview.json does not', async () => {
    firstSha = commit(ws.root, 'first change');
    lines = [];
    first = await deploy('iris-a', '7', firstSha);

    const found = await findPreviewResources(moto.endpoint, 'iris-a', '7');
    expect(found.endpoints).toEqual(['iris-a-pr-7']);
    expect(found.endpointConfigs).toEqual([first.aws!.endpoint_config_name]);
    expect(found.models).toEqual([first.aws!.model_name]);
    expect(found.apis).toHaveLength(1);
    expect(found.logGroups).toEqual(['/aws/lambda/iris-a-pr-7-gateway', '/aws/apigateway/iris-a-pr-7/access', '/aws/sagemaker/Endpoints/iris-a-pr-7']);
    expect(found.parameter).toEqual({ type: 'SecureString', value: first.token });
    expect(found.roles).toEqual(['iris-a-pr-7-gateway', 'iris-a-pr-7-sagemaker']);
    expect(found.lambda!.codeSha256).toBe(createHash('sha256').update(readFileSync(gatewayZipPath(ws.root, 'iris-a'))).digest('base64'));
    expect(found.lambda!.environment).toEqual({
      ENDPOINT_NAME: 'iris-a-pr-7',
      TOKEN_PARAMETER: '/ephenv/iris-a-pr-7/token',
      MAX_BODY_BYTES: String(4 * 1024 * 1024),
      MODEL_TIMEOUT_MS: '25000',
    });
    expect(Object.keys(found.tags)).toHaveLength(11);
    for (const [resource, tags] of Object.entries(found.tags)) {
      // The API stage is not listed: the module leaves GitSha off it (moto cannot retag a stage),
      // and off the SageMaker model, endpoint config and endpoint, which change only with the serving.
      const { GitSha, ...serving } = expectedTags('iris-a', '7', firstSha, first);
      expect({ resource, tags }).toEqual({ resource, tags: /^(endpoint|model) /.test(resource) ? serving : { ...serving, GitSha } });
    }
    expect(Date.parse(first.aws!.expires_at as string) - Date.parse(first.aws!.created_at as string)).toBe(72 * 3600_000);

    expect(first).toMatchObject({ provider: 'aws', pr: '7', gitSha: firstSha, url: expect.stringMatching(/^https:\/\/[a-z0-9]+\.execute-api\.us-east-1\.amazonaws\.com$/) });
    expect(first.aws).toMatchObject({
      region: REGION,
      endpoint_name: 'iris-a-pr-7',
      lambda_function_name: 'iris-a-pr-7-gateway',
      token_parameter_name: '/ephenv/iris-a-pr-7/token',
      log_group_names: { gateway: '/aws/lambda/iris-a-pr-7-gateway', access: '/aws/apigateway/iris-a-pr-7/access', endpoint: '/aws/sagemaker/Endpoints/iris-a-pr-7' },
      image_uri: imageUri('iris-a', firstSha),
      state_key: 'previews/iris-a/pr-7.tfstate',
      endpoint_type: 'serverless',
      memory_size_mb: 2048,
    });
    expect(readRecord(ws.root, 'iris-a')).toEqual(first);
    expect(statSync(recordPath(ws.root, 'iris-a')).mode & 0o777).toBe(0o600);
    const output = readFileSync(join(resultsDir(ws.root, 'iris-a'), 'preview.json'), 'utf8');
    expect(output).not.toContain(first.token);
    expect(JSON.parse(output)).toMatchObject({ provider: 'aws', url: first.url, token: 'in the SSM SecureString /ephenv/iris-a-pr-7/token', aws: { endpoint_name: 'iris-a-pr-7' } });

    const log = readFileSync(join(ws.root, '.ephenv', 'logs', 'iris-a', 'terraform-pr-7.log'), 'utf8');
    expect(log).toContain('Apply complete!');
    expect(log).not.toContain(first.token);
    for (const phase of ['checks', 'image', 'bundle', 'init', 'apply', 'wait', 'ping']) {
      expect(lines.some((l) => new RegExp(`^ephenv: iris-a PR 7: ${phase} +\\d+\\.\\d s`).test(l)), phase).toBe(true);
    }
    expect(lines.join('\n')).toMatch(/ping skipped: https:\/\/\S+\/ping is not reachable from here/);
    expect(lines.join('\n')).not.toContain(first.token);
    pr7State = await stateList('iris-a', '7');
  }, 180_000);

  let secondSha: string;

  it('re-deploys PR 7 at a new commit in place: same resources, same token and CreatedAt, the unchanged gateway not redeployed', async () => {
    secondSha = commit(ws.root, 'second change');
    // What Terraform would do for the new commit: the Lambda's code (same zip bytes) does not change.
    const vars = stackVariables({ project: 'iris-a', pr: '7', gitSha: secondSha, imageUri: imageUri('iris-a', firstSha), gatewayZip: gatewayZipPath(ws.root, 'iris-a'), region: REGION });
    await terraform('iris-a', '7', ['plan', '-lock=false', '-input=false', '-out=next.tfplan', ...Object.entries(vars).flatMap(([k, v]) => ['-var', `${k}=${v}`])], first.token);
    const plan = JSON.parse((await terraform('iris-a', '7', ['show', '-json', 'next.tfplan'])).stdout);
    rmSync(join(ws.root, 'apps', 'iris-a', 'infra', 'next.tfplan'));
    const lambda = plan.resource_changes.find((c: { address: string }) => c.address === 'module.preview.aws_lambda_function.gateway');
    expect(lambda.change.actions).toEqual(['update']);
    expect(lambda.change.after.source_code_hash).toBe(lambda.change.before.source_code_hash);
    const changed = Object.keys(lambda.change.after).filter((k) => JSON.stringify(lambda.change.after[k]) !== JSON.stringify(lambda.change.before[k]));
    expect(changed.sort()).toEqual(['tags', 'tags_all']);

    lines = [];
    const second = await deploy('iris-a', '7', secondSha, { imageUri: imageUri('iris-a', firstSha) });
    expect(lines.find((l) => l.includes(': bundle '))).toContain('unchanged');
    expect(lines.find((l) => l.includes(': apply '))).toContain('endpoint reused');
    expect(lines.find((l) => l.includes(': init '))).toContain('already initialised');
    expect(second.token).toBe(first.token);
    expect(second.url).toBe(first.url);
    expect(second.aws!.created_at).toBe(first.aws!.created_at);
    expect(second.aws!.model_name).toBe(first.aws!.model_name);

    const found = await findPreviewResources(moto.endpoint, 'iris-a', '7');
    expect([found.endpoints.length, found.endpointConfigs.length, found.models.length, found.apis.length, found.logGroups.length, found.roles.length]).toEqual([1, 1, 1, 1, 3, 2]);
    expect(found.lambda!.codeSha256).toBe(createHash('sha256').update(readFileSync(gatewayZipPath(ws.root, 'iris-a'))).digest('base64'));
    for (const [resource, tags] of Object.entries(found.tags)) {
      const { GitSha, ...serving } = expectedTags('iris-a', '7', secondSha, first);
      expect({ resource, tags }).toEqual({ resource, tags: /^(endpoint|model) /.test(resource) ? serving : { ...serving, GitSha } });
    }
    expect(await stateList('iris-a', '7')).toEqual(pr7State);
  }, 180_000);

  it('gives up cleanly, changing nothing, when another run holds the state lock past --lockTimeout', async () => {
    const dynamodb = new DynamoDBClient(emulatorClientConfig(moto.endpoint));
    const lockId = `${STATE_BUCKET}/${stateKey('iris-a', '7')}`;
    const info = { ID: 'f0e1d2c3-0000-4000-8000-000000000000', Operation: 'OperationTypeApply', Who: 'ci@runner-42', Version: '1.11.4', Created: new Date().toISOString(), Path: lockId };
    await dynamodb.send(new PutItemCommand({ TableName: LOCK_TABLE, Item: { LockID: { S: lockId }, Info: { S: JSON.stringify(info) } } }));
    try {
      const third = commit(ws.root, 'third change');
      await expect(deploy('iris-a', '7', third, { imageUri: imageUri('iris-a', firstSha), lockTimeout: '2s' })).rejects.toThrow(
        /state of iris-a's PR 7 preview \(s3:\/\/ephenv-test-state\/previews\/iris-a\/pr-7\.tfstate\) is locked by another run \(ci@runner-42\).*--lockTimeout/s,
      );
      const found = await findPreviewResources(moto.endpoint, 'iris-a', '7');
      expect(found.tags.lambda.GitSha).toBe(secondSha);
    } finally {
      await dynamodb.send(new DeleteItemCommand({ TableName: LOCK_TABLE, Key: { LockID: { S: lockId } } }));
    }
  }, 120_000);

  it('deploys PRs 7 and 8 and two models concurrently, and two concurrent deploys of PR 7 leave one consistent state', async () => {
    const sha = commit(ws.root, 'fourth change');
    lines = [];
    const results = await Promise.allSettled([
      deploy('iris-a', '7', sha, { imageUri: imageUri('iris-a', firstSha) }),
      deploy('iris-a', '7', sha, { imageUri: imageUri('iris-a', firstSha) }),
      deploy('iris-a', '8', sha),
      deploy('iris-b', '8', sha),
    ]);
    for (const [i, r] of results.entries()) {
      // Both PR 7 runs end well: the second waits on the state lock, then applies nothing new.
      expect({ i, error: r.status === 'rejected' ? String(r.reason) : undefined }).toEqual({ i, error: undefined });
    }
    expect(await stateList('iris-a', '7')).toEqual(pr7State);
    const pr7 = await findPreviewResources(moto.endpoint, 'iris-a', '7');
    expect([pr7.endpoints.length, pr7.endpointConfigs.length, pr7.models.length, pr7.apis.length, pr7.logGroups.length, pr7.roles.length]).toEqual([1, 1, 1, 1, 3, 2]);
    expect(pr7.tags.lambda.GitSha).toBe(sha);
    expect(pr7.parameter!.value).toBe(first.token);

    for (const project of ['iris-a', 'iris-b']) {
      const pr8 = await findPreviewResources(moto.endpoint, project, '8');
      expect(pr8.endpoints).toEqual([`${project}-pr-8`]);
      expect(Object.values(pr8.tags).every((t) => t.PR_Number === '8' && t.Project === project)).toBe(true);
    }
    const locks = (await new DynamoDBClient(emulatorClientConfig(moto.endpoint)).send(new ScanCommand({ TableName: LOCK_TABLE }))).Items ?? [];
    expect(locks.map((i) => i.LockID.S).filter((id) => !id!.endsWith('-md5'))).toEqual([]);
    // Four Terraform runs at once, and the inits of one model's folder take turns: 75 s idle on CI's
    // 2 cores, and CI once ran out of 300 s with other suites' Terraform beside it.
  }, 900_000);

  it('shows the last N CloudWatch events of each log group, newest last', async () => {
    const logs = new CloudWatchLogsClient(emulatorClientConfig(moto.endpoint));
    const group = '/aws/lambda/iris-a-pr-8-gateway';
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'instance-1' }));
    const now = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 'instance-1',
        logEvents: [1, 2, 3, 4, 5].map((n) => ({ timestamp: now - (10 - n) * 1000, message: `{"request":${n}}` })),
      }),
    );
    const text = await readPreviewLogs(ws.root, 'iris-a', { provider: 'aws', pr: '8', lines: 3 });
    const gateway = text.split('\n\n').find((s) => s.startsWith('--- gateway'))!;
    expect(gateway.split('\n').slice(1).map((l) => l.replace(/^\S+ /, ''))).toEqual(['{"request":3}', '{"request":4}', '{"request":5}']);
    expect(text).toContain('--- access: /aws/apigateway/iris-a-pr-8/access ---\n(no events)');
    expect(text).toContain('--- endpoint: /aws/sagemaker/Endpoints/iris-a-pr-8 ---');
  });

  it('uses the image already in ECR under its content tag instead of building it, and without one and without Docker names the image to push', async () => {
    const sha = commit(ws.root, 'image change');
    const ecr = new ECRClient(emulatorClientConfig(moto.endpoint));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: `sha256:${'a'.repeat(64)}` },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 32654, digest: `sha256:${'b'.repeat(64)}` }],
    });
    const projectDir = join(ws.root, 'apps', 'iris-b');
    const modelDir = join(ws.root, 'dist', 'apps', 'iris-b', 'model');
    const { tag } = modelContent(projectDir, modelDir);
    await ecr.send(new PutImageCommand({ repositoryName: 'iris-b', imageManifest: manifest, imageTag: tag }));

    const calls: string[][] = [];
    const docker: Docker = { run: async (args) => (calls.push(args), { code: 1, output: 'not expected' }) };
    const request = { project: 'iris-b', projectDir, modelDir, settings: awsSettings(ws.root), docker, log: join(ws.root, 'image.log') };
    expect(await resolveModelImage({ ...request, gitSha: sha })).toEqual({ uri: imageUri('iris-b', tag), source: 'exists', contentTag: tag, tagged: [sha] });
    expect(calls).toEqual([]);

    appendFileSync(join(projectDir, 'src', 'serve'), '\n# a server change\n');
    const other = commit(ws.root, 'not built yet');
    const missing = imageUri('iris-b', modelContent(projectDir, modelDir).tag);
    expect(missing).not.toBe(imageUri('iris-b', tag));
    await expect(resolveModelImage({ ...request, gitSha: other, docker: new DockerCli() })).rejects.toThrow(
      new RegExp(`the image of iris-b needs Docker, which is (not usable|not installed) here.*: ${missing.replace(/[.]/g, '\\.')} is not in ECR: build and push it there elsewhere.*pass --imageUri <ECR image of this commit>.*or run where Docker with buildx works`),
    );
    await expect(deployPreview(ref('iris-b'), { provider: 'aws', pr: '9' }, report)).rejects.toThrow(/needs Docker.*is not in ECR.*pass --imageUri/);
  }, 60_000);

  it('stops before Terraform with the fix named: no state bucket or lock table, no terraform, no credentials', async () => {
    const sha = commit(ws.root, 'error cases');
    const attempt = () => deploy('iris-b', '10', sha);

    let restore = setEnv({ EPHENV_STATE_BUCKET: 'no-such-bucket', EPHENV_LOCK_TABLE: 'no-such-table' });
    try {
      const error = await attempt().then(() => undefined, (e: Error) => e.message);
      expect(error).toMatch(/the Terraform state bucket "no-such-bucket" does not exist in us-east-1: create it once per account with the Terraform module libs\/infra\/bootstrap.*EPHENV_STATE_BUCKET and EPHENV_LOCK_TABLE/);
      expect(error).toMatch(/the Terraform lock table "no-such-table" does not exist/);
    } finally {
      restore();
    }

    const withoutTerraform = (process.env.PATH ?? '').split(':').filter((dir) => !existsSync(join(dir, 'terraform'))).join(':');
    restore = setEnv({ PATH: withoutTerraform });
    try {
      await expect(attempt()).rejects.toThrow('terraform is not on PATH: install Terraform 1.11 or newer (https://developer.hashicorp.com/terraform/install)');
    } finally {
      restore();
    }

    restore = setEnv({
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROFILE: 'ephenv-no-such-profile',
      AWS_SHARED_CREDENTIALS_FILE: join(ws.root, 'no-credentials'),
      AWS_CONFIG_FILE: join(ws.root, 'no-config'),
    });
    try {
      await expect(attempt()).rejects.toThrow(/no usable AWS credentials \(STS GetCallerIdentity: .+\): locally, set AWS_PROFILE.*aws-actions\/configure-aws-credentials/);
    } finally {
      restore();
    }
    await expectGone('iris-b', '10');
  }, 60_000);

  it("refuses, before terraform init, a model outside the base branch's policy, whatever the branch's own policy file says", async () => {
    const configFile = join(ws.root, 'apps', 'iris-b', 'ephenv.json');
    const policyFile = join(ws.root, 'ephenv.policy.json');
    const original = readFileSync(configFile, 'utf8');
    const git = (...args: string[]) => run('git', args, { cwd: ws.root });
    // The base branch's policy, on main; then a PR branch that asks for a GPU and raises its own limits.
    writeFileSync(policyFile, JSON.stringify({ allowedInstanceTypes: ['ml.t3.medium'], maxInstanceCount: 1 }));
    await git('add', 'ephenv.policy.json');
    commit(ws.root, 'policy on main');
    await git('checkout', '-q', '-b', 'pr-11');
    try {
      writeFileSync(configFile, JSON.stringify({ ...JSON.parse(original), endpoint: { type: 'realtime', instanceType: 'ml.p4d.24xlarge', instanceCount: 1 } }, null, 2));
      writeFileSync(policyFile, JSON.stringify({ allowedInstanceTypes: ['ml.t3.medium', 'ml.p4d.24xlarge'], maxInstanceCount: 10 }));
      await git('add', '-A');
      const sha = commit(ws.root, 'the PR asks for a GPU and allows it itself');
      lines = [];
      const dataDir = stackDataDir(ws.root, 'iris-b', '11');

      const error = await deploy('iris-b', '11', sha, { base: 'main' }).then(() => undefined, (e: Error) => e.message);
      expect(error).toBe(
        'iris-b: ephenv.json asks for more than the preview policy allows; nothing was created.\n' +
          '  apps/iris-b/ephenv.json endpoint.instanceType is "ml.p4d.24xlarge": the policy\'s allowedInstanceTypes allows one of ml.t3.medium\n' +
          "The limits come from ephenv.policy.json at main (the base branch, so this branch's own edits to ephenv.policy.json do not count): " +
          'change ephenv.policy.json there through a pull request to the base branch, or bring apps/iris-b/ephenv.json within them.',
      );
      expect(lines).toEqual(['ephenv: preview policy: ephenv.policy.json at main']);
      // Nothing ran: no Terraform data dir (no init), no state, no resource.
      expect(existsSync(dataDir)).toBe(false);
      await expectGone('iris-b', '11');

      // GITHUB_BASE_REF, as in a pull_request workflow, reads the same base; the PR's count raise does not count either.
      writeFileSync(configFile, JSON.stringify({ ...JSON.parse(original), endpoint: { type: 'realtime', instanceType: 'ml.t3.medium', instanceCount: 3 } }, null, 2));
      const restore = setEnv({ GITHUB_BASE_REF: 'main' });
      try {
        await expect(deploy('iris-b', '11', sha)).rejects.toThrow("apps/iris-b/ephenv.json endpoint.instanceCount is 3: the policy's maxInstanceCount allows at most 1");
      } finally {
        restore();
      }
      expect(existsSync(dataDir)).toBe(false);
      await expectGone('iris-b', '11');
    } finally {
      writeFileSync(configFile, original);
      await git('checkout', '-q', '--', '.');
      await git('checkout', '-q', 'main');
    }
  }, 120_000);

  it('destroy-preview removes every resource of PR 7, keeps PR 8, and then has nothing to destroy', async () => {
    lines = [];
    const result = await destroyPreview(ref('iris-a'), { provider: 'aws', pr: '7' }, report);
    expect(result).toEqual({ destroyed: true, message: expect.stringMatching(/^destroyed \d+ resources of iris-a-pr-7/) });
    await expectGone('iris-a', '7');
    expect((await findPreviewResources(moto.endpoint, 'iris-a', '8')).endpoints).toEqual(['iris-a-pr-8']);

    expect(await destroyPreview(ref('iris-a'), { provider: 'aws', pr: '7' }, report)).toEqual({
      destroyed: false,
      message: `nothing to destroy: the state at s3://${STATE_BUCKET}/previews/iris-a/pr-7.tfstate holds no resources`,
    });
    expect(await destroyPreview(ref('iris-a'), { provider: 'aws', pr: '9' }, report)).toEqual({
      destroyed: false,
      message: `nothing to destroy: no preview state at s3://${STATE_BUCKET}/previews/iris-a/pr-9.tfstate`,
    });
  }, 180_000);

  it('destroyPr (ephenv destroy --pr 8) destroys every model of PR 8 found in the state bucket, including one whose folder is gone', async () => {
    rmSync(join(ws.root, 'apps', 'iris-b'), { recursive: true });
    const out: string[] = [];
    const outcomes = await destroyPr(ws.root, '8', { report: (line: string) => void out.push(line) });
    expect(outcomes.map((o) => [o.project, o.result?.destroyed, o.error])).toEqual([
      ['iris-a', true, undefined],
      ['iris-b', true, undefined],
    ]);
    await expectGone('iris-a', '8');
    await expectGone('iris-b', '8');
    expect(out.join('\n')).toContain('the folder of iris-b is gone from this checkout');
    expect(existsSync(recordPath(ws.root, 'iris-b'))).toBe(false);
  }, 180_000);
});
