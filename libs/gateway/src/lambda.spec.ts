import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleGateway } from './bundle';
import type { HttpApiEvent } from './http-event';
import { createLambdaGateway, handler } from './lambda';
import { startMoto, type Moto } from './testing/moto';
import { inputSchema, irisRequest, outputSchema } from './testing/model-server';

// The Lambda's real AWS calls (SSM GetParameter, SageMaker Runtime InvokeEndpoint, SageMaker
// DescribeEndpoint) against moto's server, reached through AWS_ENDPOINT_URL as in the e2e tests.
const REGION = 'eu-west-1';
const ENDPOINT = 'iris-classifier-pr-7';
const PARAMETER = '/ephenv/iris-classifier/pr-7/token';
const TOKEN = 'lambda-token-9d8c7b6a5f4e';
const ENV_KEYS = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'] as const;

let moto: Moto;
let dir: string;
let configFile: string;
const savedEnv: Record<string, string | undefined> = {};

const prediction = { label: 'setosa', class_id: 0, probabilities: { setosa: 0.9, versicolor: 0.05, virginica: 0.05 } };

/** Queues the answer moto's InvokeEndpoint gives the next request body it has not seen (it replays seen ones). */
async function nextAnswer(body: unknown) {
  const res = await fetch(`${moto.url}/moto-api/static/sagemaker/endpoint-results`, {
    method: 'POST',
    body: JSON.stringify({ account_id: '123456789012', region: REGION, results: [{ Body: JSON.stringify(body), ContentType: 'application/json', InvokedProductionVariant: 'AllTraffic', CustomAttributes: '' }] }),
  });
  expect(res.status).toBe(201);
}

const env = () => ({ ENDPOINT_NAME: ENDPOINT, TOKEN_PARAMETER: PARAMETER, AWS_REGION: REGION, MODEL_TIMEOUT_MS: '5000', MAX_BODY_BYTES: '4194304' });

function event(method: string, rawPath: string, body?: unknown, token = TOKEN): HttpApiEvent {
  return {
    version: '2.0',
    rawPath,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requestContext: { http: { method }, requestId: 'lambda-req-1', stage: '$default' },
    ...(body === undefined ? {} : { body: JSON.stringify(body), isBase64Encoded: false }),
  };
}

beforeAll(async () => {
  moto = await startMoto();
  for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
  Object.assign(process.env, { AWS_ENDPOINT_URL: moto.url, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: REGION });

  await new SSMClient({ region: REGION }).send(new PutParameterCommand({ Name: PARAMETER, Type: 'SecureString', Value: TOKEN }));
  const sagemaker = new SageMakerClient({ region: REGION });
  await sagemaker.send(new CreateModelCommand({ ModelName: ENDPOINT, ExecutionRoleArn: 'arn:aws:iam::123456789012:role/preview', PrimaryContainer: { Image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/iris:abc' } }));
  await sagemaker.send(new CreateEndpointConfigCommand({ EndpointConfigName: ENDPOINT, ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: ENDPOINT, InitialInstanceCount: 1, InstanceType: 'ml.t2.medium' }] }));
  await sagemaker.send(new CreateEndpointCommand({ EndpointName: ENDPOINT, EndpointConfigName: ENDPOINT }));

  dir = mkdtempSync(join(tmpdir(), 'ephenv-lambda-'));
  configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ modelName: 'iris-classifier', inputSchema, outputSchema }));
}, 60_000);

afterAll(async () => {
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  await moto?.stop();
});

describe('the Lambda gateway against the AWS emulator', () => {
  it('reads its token from SSM and invokes the endpoint through SageMaker Runtime', async () => {
    const gateway = await createLambdaGateway({ env: env(), configFile, log: () => undefined });
    await nextAnswer({ predictions: [prediction] });
    const ok = await gateway(event('POST', '/invocations', irisRequest(1)));
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ predictions: [prediction] });
    expect((await gateway(event('POST', '/invocations', irisRequest(1), 'not-the-token'))).statusCode).toBe(401);
  });

  it('checks the endpoint answer against output.schema.json', async () => {
    const gateway = await createLambdaGateway({ env: env(), configFile, log: () => undefined });
    await nextAnswer({ predictions: [{ label: 'tulip' }] });
    const result = await gateway(event('POST', '/invocations', irisRequest(2)));
    expect(result.statusCode).toBe(502);
    expect(JSON.parse(result.body).error).toContain("does not match output.schema.json");
  });

  it('answers /ping from the endpoint status (DescribeEndpoint)', async () => {
    const gateway = await createLambdaGateway({ env: env(), configFile, log: () => undefined });
    const ok = await gateway(event('GET', '/ping'));
    expect(ok.statusCode).toBe(200);
    const missing = await createLambdaGateway({ env: { ...env(), ENDPOINT_NAME: 'no-such-endpoint' }, configFile, log: () => undefined });
    const sick = await missing(event('GET', '/ping'));
    expect(sick.statusCode).toBe(503);
    expect(JSON.parse(sick.body).error).toContain('no-such-endpoint does not exist');
  });

  it('says which setting is wrong when it cannot start', async () => {
    await expect(createLambdaGateway({ env: { ...env(), TOKEN_PARAMETER: '/no/such/parameter' }, configFile })).rejects.toThrow(
      /cannot read the token from SSM parameter \/no\/such\/parameter \(ParameterNotFound\)/,
    );
    await expect(createLambdaGateway({ env: { ...env(), ENDPOINT_NAME: '' }, configFile })).rejects.toThrow(/ENDPOINT_NAME is not set/);
    await expect(createLambdaGateway({ env: { ...env(), MODEL_TIMEOUT_MS: 'soon' }, configFile })).rejects.toThrow(/MODEL_TIMEOUT_MS must be a positive integer, got "soon"/);
    await expect(createLambdaGateway({ env: env(), configFile: join(dir, 'missing.json') })).rejects.toThrow(/cannot load .*missing\.json/);
  });

  it('answers a generic JSON 500 with a request id when misconfigured (details only in the log), and never throws', async () => {
    const saved = process.env.ENDPOINT_NAME;
    delete process.env.ENDPOINT_NAME;
    const write = process.stdout.write.bind(process.stdout);
    const lines: string[] = [];
    process.stdout.write = ((chunk: string) => lines.push(String(chunk)) > 0) as typeof process.stdout.write;
    try {
      const result = await handler(event('GET', '/ping'));
      expect(result.statusCode).toBe(500);
      expect(result.headers['content-type']).toBe('application/json');
      expect(JSON.parse(result.body)).toEqual({ error: 'the gateway could not start; its log has the details under request id lambda-req-1.', requestId: 'lambda-req-1' });
    } finally {
      process.stdout.write = write;
      if (saved !== undefined) process.env.ENDPOINT_NAME = saved;
    }
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'error', status: 500, error: 'misconfigured', requestId: 'lambda-req-1', exception: expect.stringContaining('ENDPOINT_NAME is not set') });
  });

  it('never shows an unauthenticated caller the SSM parameter it failed to read (bundled, against the emulator)', async () => {
    const { outfile } = await bundleGateway({ entry: 'lambda', outfile: join(dir, 'no-token', 'index.js') });
    writeFileSync(join(dir, 'no-token', 'config.json'), JSON.stringify({ modelName: 'iris-classifier', inputSchema, outputSchema }));
    const script = `
      const { handler } = require(${JSON.stringify(outfile)});
      handler(JSON.parse(process.argv[1])).then((r) => process.stderr.write(JSON.stringify(r)));
    `;
    // A real GetParameter against the emulator, for a parameter that does not exist: ParameterNotFound.
    const parameter = '/ephenv/secret-layout/pr-9/token';
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['-e', script, JSON.stringify(event('POST', '/invocations', irisRequest(1), 'guess'))], {
      cwd: join(dir, 'no-token'),
      env: { PATH: process.env.PATH, AWS_ENDPOINT_URL: moto.url, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', ...env(), TOKEN_PARAMETER: parameter },
    });
    const result = JSON.parse(stderr.slice(stderr.indexOf('{"statusCode"'))) as { statusCode: number; headers: Record<string, string>; body: string };
    expect(result.statusCode).toBe(500);
    expect(result.headers['x-request-id']).toBe('lambda-req-1');
    expect(JSON.parse(result.body)).toEqual({ error: 'the gateway could not start; its log has the details under request id lambda-req-1.', requestId: 'lambda-req-1' });
    expect(result.body).not.toMatch(/secret-layout|ParameterNotFound|SSM|arn:|config\.json/);
    // The operator finds the cause in the log line under the same request id.
    expect(JSON.parse(stdout.trim().split('\n')[0])).toMatchObject({
      requestId: 'lambda-req-1',
      error: 'misconfigured',
      exception: expect.stringContaining(`${parameter} (ParameterNotFound)`),
    });
  });

  it('runs as a bundled Lambda: index.js and config.json alone, as in the zip', async () => {
    const { outfile } = await bundleGateway({ entry: 'lambda', outfile: join(dir, 'zip', 'index.js') });
    writeFileSync(join(dir, 'zip', 'config.json'), JSON.stringify({ modelName: 'iris-classifier', inputSchema, outputSchema }));
    await nextAnswer({ predictions: [prediction, prediction] });
    // Two events in one process: a cold start, then a warm invocation reusing the token read from SSM.
    const script = `
      const { handler } = require(${JSON.stringify(outfile)});
      const events = JSON.parse(process.argv[1]);
      (async () => { const out = []; for (const e of events) out.push(await handler(e)); process.stderr.write(JSON.stringify(out)); })();
    `;
    const events = [event('GET', '/ping'), event('POST', '/invocations', irisRequest(4))];
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['-e', script, JSON.stringify(events)], {
      cwd: join(dir, 'zip'),
      env: { PATH: process.env.PATH, AWS_ENDPOINT_URL: moto.url, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', ...env() },
    });
    const results = JSON.parse(stderr.slice(stderr.indexOf('[{'))) as { statusCode: number; body: string }[];
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(JSON.parse(results[1].body)).toEqual({ predictions: [prediction, prediction] });
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l).route)).toEqual(['/ping', '/invocations']);
    expect(stdout).not.toContain(TOKEN);
  });
});
