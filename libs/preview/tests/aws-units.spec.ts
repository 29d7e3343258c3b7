import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy, loadModelConfig, readJsonFile } from '@ephenv/core';
import { awsSettings, buildGatewayZip, dockerBuildArgs, DockerCli, parseStateKey, requireDocker, stateKey, waitForEndpoint, type Docker } from '../src';
import { dockerLogin } from '../src/aws/docker';
import { stackVariables } from '../src/aws/stack-variables';
import { REPO } from '@ephenv/testing';

describe('model image build', () => {
  it('builds for SageMaker (linux/amd64) with the trained model as the named context and pushes the content and SHA tags', () => {
    const repo = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/m';
    expect(dockerBuildArgs({ projectDir: '/ws/apps/m', modelDir: '/ws/dist/apps/m/model', images: [`${repo}:content-0a1b`, `${repo}:abc1234`] })).toEqual([
      'buildx', 'build', '--platform', 'linux/amd64', '--build-context', 'model=/ws/dist/apps/m/model',
      '-t', `${repo}:content-0a1b`, '-t', `${repo}:abc1234`, '--push', '/ws/apps/m',
    ]);
  });

  it('logs in to ECR with the password on stdin, never in argv', async () => {
    const calls: { args: string[]; input?: string }[] = [];
    const docker: Docker = { run: async (args, options) => (calls.push({ args, input: options?.input }), { code: 0, output: 'Login Succeeded' }) };
    await dockerLogin(docker, '123456789012.dkr.ecr.us-east-1.amazonaws.com', 'AWS', 's3cret-password');
    expect(calls).toEqual([{ args: ['login', '--username', 'AWS', '--password-stdin', '123456789012.dkr.ecr.us-east-1.amazonaws.com'], input: 's3cret-password' }]);
  });

  it('names the image it looked for and says to push it or pass --imageUri when Docker is not installed, or has no usable engine', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ephenv-no-docker-'));
    const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/iris:content-0a1b';
    try {
      await expect(requireDocker(new DockerCli({ PATH: empty }), 'iris', image)).rejects.toThrow(
        `the image of iris needs Docker, which is not installed here: ${image} is not in ECR: build and push it there elsewhere (same Dockerfile, trained model and tag), pass --imageUri <ECR image of this commit>, or run where Docker with buildx works`,
      );
    } finally {
      rmSync(empty, { recursive: true });
    }
    const noEngine: Docker = { run: async () => ({ code: 1, output: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n' }) };
    await expect(requireDocker(noEngine, 'iris', image)).rejects.toThrow(/which is not usable here \(Cannot connect to the Docker daemon.*\): \S+iris:content-0a1b is not in ECR.*pass --imageUri/);
  });
});

describe('gateway Lambda zip', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ephenv-zip-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('holds the bundled handler and the model config, and is byte-identical when built again', async () => {
    const config = loadModelConfig(REPO, 'apps/iris-classifier');
    const first = await buildGatewayZip(root, 'iris-classifier', config);
    const bytes = readFileSync(first.path);
    const second = await buildGatewayZip(root, 'iris-classifier', config);
    expect(first.changed).toBe(true);
    expect(second).toEqual({ ...first, changed: false });
    expect(readFileSync(second.path).equals(bytes)).toBe(true);

    const files = unzipSync(bytes);
    expect(Object.keys(files)).toEqual(['config.json', 'index.js']);
    expect(JSON.parse(strFromU8(files['config.json']))).toEqual({
      modelName: 'iris-classifier',
      inputSchema: readJsonFile(config.schemas.input),
      outputSchema: readJsonFile(config.schemas.output),
      maxArrayItems: config.endpoint.maxBatchSize,
    });
    expect(config.endpoint.maxBatchSize).toBeGreaterThan(0);
    expect(strFromU8(files['index.js'])).toContain('handler');
  }, 60_000);

  it('changes when the model config does', async () => {
    const config = loadModelConfig(REPO, 'apps/iris-classifier');
    const before = await buildGatewayZip(root, 'iris-classifier', config);
    const renamed = await buildGatewayZip(root, 'iris-classifier', { ...config, name: 'iris-renamed' });
    expect(renamed.changed).toBe(true);
    expect(renamed.sha256).not.toBe(before.sha256);
  }, 60_000);
});

describe('state keys and settings', () => {
  it('keys each model and PR apart, and reads them back', () => {
    expect(stateKey('iris-classifier', 42)).toBe('previews/iris-classifier/pr-42.tfstate');
    expect(parseStateKey('previews/iris-classifier/pr-42.tfstate')).toEqual({ project: 'iris-classifier', pr: '42' });
    expect(parseStateKey('previews/iris-classifier/pr-42.tfstate.backup')).toBeUndefined();
    expect(parseStateKey('iris-classifier/pr-42/terraform.tfstate')).toBeUndefined();
    expect(() => stateKey('iris', '0')).toThrow(/--pr must be a pull request number/);
  });

  it('takes bucket, table and region from the environment over ephenv.json, and names bootstrap when there is no bucket', () => {
    const config = { aws: { stateBucket: 'from-json', lockTable: 'json-locks', region: 'eu-west-1' } };
    expect(awsSettings(REPO, config, {})).toEqual({ stateBucket: 'from-json', lockTable: 'json-locks', region: 'eu-west-1', endpoint: undefined });
    expect(awsSettings(REPO, config, { EPHENV_STATE_BUCKET: 'env-bucket', EPHENV_LOCK_TABLE: 'env-locks', AWS_REGION: 'us-west-2', AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' })).toEqual({
      stateBucket: 'env-bucket',
      lockTable: 'env-locks',
      region: 'us-west-2',
      endpoint: 'http://127.0.0.1:5000',
    });
    expect(awsSettings(REPO, { aws: { stateBucket: 'b' } }, {})).toMatchObject({ lockTable: 'ephenv-terraform-locks', region: 'us-east-1' });
    expect(() => awsSettings(REPO, { aws: {} }, {})).toThrow(/set EPHENV_STATE_BUCKET.*state_bucket output of libs\/infra\/bootstrap/);
  });
});

describe('waiting for the endpoint', () => {
  const describer = (statuses: { EndpointStatus: string; FailureReason?: string }[]) => {
    let i = 0;
    return { send: async () => statuses[Math.min(i++, statuses.length - 1)] as never };
  };

  it('waits through Creating until InService, reporting each status once', async () => {
    const seen: string[] = [];
    const sagemaker = describer([{ EndpointStatus: 'Creating' }, { EndpointStatus: 'Creating' }, { EndpointStatus: 'InService' }]);
    await waitForEndpoint({ endpointName: 'm-pr-1', sagemaker, timeoutMs: 5000, pollMs: 1, onStatus: (s) => seen.push(s) });
    expect(seen).toEqual(['Creating', 'InService']);
  });

  it("fails with SageMaker's FailureReason", async () => {
    const sagemaker = describer([{ EndpointStatus: 'Creating' }, { EndpointStatus: 'Failed', FailureReason: 'The primary container for production variant AllTraffic did not pass the ping health check.' }]);
    await expect(waitForEndpoint({ endpointName: 'm-pr-1', sagemaker, timeoutMs: 5000, pollMs: 1 })).rejects.toThrow(
      /SageMaker endpoint m-pr-1 is Failed: The primary container for production variant AllTraffic did not pass the ping health check\. Check that the image serves GET \/ping/,
    );
  });

  it('gives up after the timeout and says how to wait longer', async () => {
    const sagemaker = describer([{ EndpointStatus: 'Creating' }]);
    await expect(waitForEndpoint({ endpointName: 'm-pr-1', sagemaker, timeoutMs: 30, pollMs: 5 })).rejects.toThrow(/still Creating after 0 s: raise --endpointTimeout/);
  });
});

describe('stack variables', () => {
  const inputs = { project: 'iris-classifier', pr: '7', gitSha: '0123abc', imageUri: 'x', gatewayZip: 'g.zip', region: 'us-east-1', env: {} };
  const config = () => loadModelConfig(REPO, 'apps/iris-classifier');

  it("a deploy passes the base branch's policy to preview-stack's validations", () => {
    const vars = stackVariables({ ...inputs, config: config(), policy: { ...defaultPolicy(), allowedInstanceTypes: ['ml.t3.medium'], maxTtlHours: 24 } });
    expect(vars).toMatchObject({
      allowed_instance_types: '["ml.t3.medium"]',
      max_instance_count: '2',
      max_serverless_memory_size_mb: '4096',
      max_serverless_concurrency: '10',
      max_ttl_hours: '24',
    });
  });

  it('a destroy admits exactly what the preview being removed asks for, so a tightened policy never blocks it', () => {
    const c = config();
    expect(stackVariables({ ...inputs, config: c })).toMatchObject({
      allowed_instance_types: JSON.stringify([c.endpoint.instanceType]),
      max_instance_count: String(c.endpoint.instanceCount),
      max_serverless_memory_size_mb: String(c.endpoint.memorySizeMb),
      max_serverless_concurrency: String(c.endpoint.maxConcurrency),
      max_ttl_hours: String(c.ttlHours),
    });
    // Without the model's folder, the module's defaults (the default policy) apply to its defaults.
    expect(Object.keys(stackVariables(inputs)).filter((k) => k.startsWith('max_') || k.startsWith('allowed_'))).toEqual([]);
  });
});
