import { CloudWatchLogsClient, DescribeLogGroupsCommand, ListTagsForResourceCommand as ListLogTagsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListModelsCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, ListTagsForResourceCommand as ListParameterTagsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { strToU8, zipSync } from 'fflate';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClientConfig, emulatorProcessEnv, emulatorS3ClientConfig, startMoto, type MotoServer } from '@ephenv/testing';
import { s3BackendArgs, terraformEnv } from '@ephenv/preview';
import { boto3, ok, stageExampleRoot, terraform, terraformInit, terraformOk, workspaceRoot } from './support/terraform';
import { LOCK_TIMEOUT, testTimeout } from './support/budget';

const ACCOUNT = '123456789012'; // moto's account
const MODEL = 'iris-classifier';
const PR = '42';
const NAME = `${MODEL}-pr-${PR}`;
const STATE_BUCKET = 'ephenv-state';
const LOCK_TABLE = 'ephenv-terraform-locks';
const STATE_KEY = `${MODEL}/pr-${PR}/terraform.tfstate`;
const IMAGE = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/${MODEL}:0123abc`;
const FIRST_SHA = '0123abc4567def0123abc4567def0123abc4567d';
const SECOND_SHA = '89abcdef0123456789abcdef0123456789abcdef';
const TTL_HOURS = 48;

type Tags = Record<string, string>;

/** The SageMaker resources, tagged without GitSha. */
const SERVING = ['endpoint', 'endpoint config', 'model'];

describe('preview stack (example root) against moto', () => {
  let moto: MotoServer;
  let tmp: string;
  let root: string;
  let env: NodeJS.ProcessEnv;
  let zip: Uint8Array;
  let zipPath: string;
  let outputs: Record<string, any>;
  const token = randomBytes(24).toString('base64url');
  const timings: Record<string, number> = {};

  const vars = (gitSha: string, extra: string[] = []) =>
    [
      ['project', MODEL],
      ['pr', PR],
      ['git_sha', gitSha],
      ['image_uri', IMAGE],
      ['gateway_zip', zipPath],
      ['ttl_hours', String(TTL_HOURS)],
      ['aws_region', 'us-east-1'],
    ]
      .flatMap(([name, value]) => ['-var', `${name}=${value}`])
      .concat(extra);

  const readOutputs = async () => {
    const raw = JSON.parse((await terraformOk(['output', '-json'], { cwd: root, env })).stdout);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, (v as { value: unknown }).value]));
  };

  const sagemaker = () => new SageMakerClient(emulatorClientConfig(moto.endpoint));

  /** Tags of every resource of the preview, read back from the emulator by name. */
  const collectTags = async (): Promise<Record<string, Tags>> => {
    const sm = sagemaker();
    const smTags = async (arn: string) =>
      Object.fromEntries(((await sm.send(new ListTagsCommand({ ResourceArn: arn }))).Tags ?? []).map((t) => [t.Key!, t.Value!]));
    const endpoint = await sm.send(new DescribeEndpointCommand({ EndpointName: outputs.endpoint_name }));
    const config = await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: outputs.endpoint_config_name }));
    const model = await sm.send(new DescribeModelCommand({ ModelName: outputs.model_name }));

    const ssm = new SSMClient(emulatorClientConfig(moto.endpoint));
    const parameterTags = await ssm.send(new ListParameterTagsCommand({ ResourceType: 'Parameter', ResourceId: outputs.token_parameter_name }));

    const logs = new CloudWatchLogsClient(emulatorClientConfig(moto.endpoint));
    const logTags: Record<string, Tags> = {};
    for (const [role, name] of Object.entries<string>(outputs.log_group_names)) {
      const arn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`;
      logTags[`log group ${role}`] = (await logs.send(new ListLogTagsCommand({ resourceArn: arn }))).tags ?? {};
    }

    const [fn, apis, gatewayRole, sagemakerRole] = await boto3(
      [
        { service: 'lambda', operation: 'get_function', params: { FunctionName: outputs.lambda_function_name } },
        { service: 'apigatewayv2', operation: 'get_apis' },
        { service: 'iam', operation: 'list_role_tags', params: { RoleName: `${NAME}-gateway` } },
        { service: 'iam', operation: 'list_role_tags', params: { RoleName: `${NAME}-sagemaker` } },
      ],
      env,
    );
    const api = ok(apis).Items.find((a: { Name: string }) => a.Name === NAME);
    const iamTags = (r: typeof gatewayRole) => Object.fromEntries(ok(r).Tags.map((t: { Key: string; Value: string }) => [t.Key, t.Value]));

    return {
      endpoint: await smTags(endpoint.EndpointArn!),
      'endpoint config': await smTags(config.EndpointConfigArn!),
      model: await smTags(model.ModelArn!),
      'token parameter': Object.fromEntries((parameterTags.TagList ?? []).map((t) => [t.Key!, t.Value!])),
      lambda: ok(fn).Tags,
      'http api': api.Tags,
      'gateway role': iamTags(gatewayRole),
      'sagemaker role': iamTags(sagemakerRole),
      ...logTags,
    };
  };

  beforeAll(async () => {
    moto = await startMoto();
    tmp = mkdtempSync(join(tmpdir(), 'ephenv-preview-stack-'));
    root = stageExampleRoot(tmp, MODEL);
    zip = zipSync({ 'index.js': strToU8('exports.handler = async () => ({ statusCode: 200, body: "{}" });\n') });
    zipPath = join(tmp, 'gateway.zip');
    writeFileSync(zipPath, zip);
    // The token travels in the environment, not on the command line other users can read.
    env = { ...emulatorProcessEnv(moto.endpoint), ...terraformEnv(workspaceRoot), TF_VAR_token: token };

    const created = await boto3(
      [
        { service: 's3', operation: 'create_bucket', params: { Bucket: STATE_BUCKET } },
        {
          service: 'dynamodb',
          operation: 'create_table',
          params: {
            TableName: LOCK_TABLE,
            AttributeDefinitions: [{ AttributeName: 'LockID', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'LockID', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          },
        },
      ],
      env,
    );
    created.forEach(ok);
  });

  afterAll(async () => {
    await moto?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    console.info(`preview stack against moto (ms): ${JSON.stringify(timings)}`);
  });

  it('initialises with the S3 backend, one state key per model and PR', async () => {
    const backend = s3BackendArgs({ bucket: STATE_BUCKET, key: STATE_KEY, region: 'us-east-1', lockTable: LOCK_TABLE, endpoint: moto.endpoint });
    const init = await terraformInit(backend, { cwd: root, env });
    timings.init = init.ms;
    expect(init.stdout).toContain('Successfully configured the backend "s3"');
  }, testTimeout(1));

  it('rejects invalid settings with messages that say what is allowed', async () => {
    const plan = await terraform(
      ['plan', '-lock=false', '-input=false', '-no-color', ...vars(FIRST_SHA, ['-var', 'endpoint_type=gpu', '-var', 'model_timeout_ms=50'])],
      { cwd: root, env },
    );
    expect(plan.code).toBe(1);
    const stderr = plan.stderr.replace(/\s+│?\s*/g, ' ');
    expect(stderr).toContain('endpoint_type must be "serverless" or "realtime"');
    expect(stderr).toContain('model_timeout_ms must be a whole number between 100 and 27000');
  }, testTimeout(1));

  it('refuses at plan time what the preview policy variables do not allow, and accepts what they do', async () => {
    const plan = (extra: string[]) => terraform(['plan', '-lock=false', '-input=false', '-no-color', ...vars(FIRST_SHA, extra)], { cwd: root, env });
    const flat = (text: string) => text.replace(/\s+│?\s*/g, ' ');
    const policy = ['-var', 'allowed_instance_types=["ml.t3.medium","ml.m5.large"]', '-var', 'max_instance_count=2', '-var', 'max_ttl_hours=24'];

    // IAM has no condition key for a realtime endpoint's instance count: this validation (and the
    // deploy's policy check before it) is what refuses too many instances.
    const refused = await plan([...policy, '-var', 'endpoint_type=realtime', '-var', 'instance_type=ml.p4d.24xlarge', '-var', 'instance_count=11', '-var', 'ttl_hours=48']);
    expect(refused.code).toBe(1);
    const stderr = flat(refused.stderr);
    expect(stderr).toContain("instance_type (ephenv.json endpoint.instanceType) is not among the preview policy's allowedInstanceTypes");
    expect(stderr).toContain("instance_count (ephenv.json endpoint.instanceCount) is above the preview policy's maxInstanceCount");
    expect(stderr).toContain("ttl_hours (ephenv.json preview.ttlHours) is above the preview policy's maxTtlHours");

    // With no policy variables the module's defaults (the schema's default policy) still refuse a GPU type.
    const byDefault = await plan(['-var', 'endpoint_type=realtime', '-var', 'instance_type=ml.g5.xlarge']);
    expect(byDefault.code).toBe(1);
    expect(flat(byDefault.stderr)).toContain("is not among the preview policy's allowedInstanceTypes");

    const serverless = await plan(['-var', 'max_serverless_memory_size_mb=2048', '-var', 'max_serverless_concurrency=4', '-var', 'memory_size_mb=3072', '-var', 'max_concurrency=5']);
    expect(serverless.code).toBe(1);
    expect(flat(serverless.stderr)).toContain("memory_size_mb (ephenv.json endpoint.memorySizeMb) is above the preview policy's maxServerlessMemorySizeMb");
    expect(flat(serverless.stderr)).toContain("max_concurrency (ephenv.json endpoint.maxConcurrency) is above the preview policy's maxServerlessConcurrency");

    // At the limits: planned. A serverless preview is not held to the instance rules, nor a realtime one to the serverless ones.
    expect((await plan([...policy, '-var', 'endpoint_type=realtime', '-var', 'instance_type=ml.m5.large', '-var', 'instance_count=2', '-var', 'ttl_hours=24', '-var', 'memory_size_mb=6144'])).code).toBe(0);
    expect((await plan([...policy, '-var', 'instance_type=ml.p4d.24xlarge', '-var', 'instance_count=9', '-var', 'ttl_hours=24'])).code).toBe(0);
  }, 300_000);

  it('plans a realtime endpoint with provisioned instances and the 6 MB body limit', async () => {
    const extra = ['-var', 'endpoint_type=realtime', '-var', 'instance_type=ml.m5.large', '-var', 'instance_count=2'];
    await terraformOk(['plan', '-lock=false', '-input=false', '-no-color', '-out=realtime.tfplan', ...vars(FIRST_SHA, extra)], { cwd: root, env });
    const plan = JSON.parse((await terraformOk(['show', '-json', 'realtime.tfplan'], { cwd: root, env })).stdout);
    const config = plan.resource_changes.find((c: { address: string }) => c.address === 'module.preview.aws_sagemaker_endpoint_configuration.this');
    expect(config.change.after.production_variants).toEqual([
      expect.objectContaining({ instance_type: 'ml.m5.large', initial_instance_count: 2, serverless_config: [] }),
    ]);
    const gateway = plan.resource_changes.find((c: { address: string }) => c.address === 'module.preview.aws_lambda_function.gateway');
    expect(gateway.change.after.environment[0].variables.MAX_BODY_BYTES).toBe(String(6 * 1024 * 1024));
  }, testTimeout(2));

  it('applies a serverless preview whose every resource carries the preview tags', async () => {
    const apply = await terraformOk(['apply', '-auto-approve', '-input=false', '-no-color', LOCK_TIMEOUT, ...vars(FIRST_SHA)], {
      cwd: root,
      env,
    });
    timings.apply = apply.ms;
    expect(apply.stdout + apply.stderr).not.toContain(token);
    outputs = await readOutputs();

    expect(outputs).toMatchObject({
      endpoint_name: NAME,
      lambda_function_name: `${NAME}-gateway`,
      token_parameter_name: `/ephenv/${NAME}/token`,
      max_body_bytes: 4 * 1024 * 1024,
      log_group_names: {
        gateway: `/aws/lambda/${NAME}-gateway`,
        access: `/aws/apigateway/${NAME}/access`,
        endpoint: `/aws/sagemaker/Endpoints/${NAME}`,
      },
    });
    expect(outputs.model_name).toMatch(new RegExp(`^${NAME}-[0-9a-f]{8}$`));
    expect(outputs.endpoint_config_name).toMatch(new RegExp(`^${NAME}-[0-9a-f]{8}$`));
    expect(outputs.api_url).toMatch(/^https:\/\/[a-z0-9]+\.execute-api\.us-east-1\.amazonaws\.com\/$/);
    expect(Date.parse(outputs.expires_at) - Date.parse(outputs.created_at)).toBe(TTL_HOURS * 3600_000);
    expect(Math.abs(Date.now() - Date.parse(outputs.created_at))).toBeLessThan(5 * 60_000);

    const expected: Tags = {
      Environment: 'Ephemeral',
      ManagedBy: 'ephenv',
      Project: MODEL,
      PR_Number: PR,
      GitSha: FIRST_SHA,
      CreatedAt: outputs.created_at,
      ExpiresAt: outputs.expires_at,
    };
    expect(outputs.tags).toEqual(expected);
    const tags = await collectTags();
    expect(Object.keys(tags)).toHaveLength(11);
    // The SageMaker resources change only with the serving: every tag but GitSha.
    const { GitSha: _sha, ...serving } = expected;
    for (const [resource, actual] of Object.entries(tags)) expect({ resource, tags: actual }).toEqual({ resource, tags: SERVING.includes(resource) ? serving : expected });
  }, testTimeout(2));

  it('wires endpoint, gateway Lambda, HTTP API and least-privilege roles together', async () => {
    const sm = sagemaker();
    const endpoint = await sm.send(new DescribeEndpointCommand({ EndpointName: NAME }));
    expect(endpoint.EndpointConfigName).toBe(outputs.endpoint_config_name);
    const config = await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: outputs.endpoint_config_name }));
    expect(config.ProductionVariants?.[0]).toMatchObject({
      ModelName: outputs.model_name,
      ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
    });
    const model = await sm.send(new DescribeModelCommand({ ModelName: outputs.model_name }));
    expect(model.PrimaryContainer?.Image).toBe(IMAGE);
    expect(model.ExecutionRoleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/ephenv/${NAME}-sagemaker`);

    const ssm = new SSMClient(emulatorClientConfig(moto.endpoint));
    const parameter = await ssm.send(new GetParameterCommand({ Name: outputs.token_parameter_name, WithDecryption: true }));
    expect(parameter.Parameter).toMatchObject({ Type: 'SecureString', Value: token });

    const logs = new CloudWatchLogsClient(emulatorClientConfig(moto.endpoint));
    for (const name of Object.values<string>(outputs.log_group_names)) {
      const found = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
      expect(found.logGroups?.map((g) => [g.logGroupName, g.retentionInDays])).toEqual([[name, 7]]);
    }

    const [fn, lambdaPolicy, apis, gatewayPolicy, sagemakerPolicy] = await boto3(
      [
        { service: 'lambda', operation: 'get_function', params: { FunctionName: outputs.lambda_function_name } },
        { service: 'lambda', operation: 'get_policy', params: { FunctionName: outputs.lambda_function_name } },
        { service: 'apigatewayv2', operation: 'get_apis' },
        { service: 'iam', operation: 'get_role_policy', params: { RoleName: `${NAME}-gateway`, PolicyName: 'gateway-runtime' } },
        { service: 'iam', operation: 'get_role_policy', params: { RoleName: `${NAME}-sagemaker`, PolicyName: 'model-runtime' } },
      ],
      env,
    );
    const configuration = ok(fn).Configuration;
    expect(configuration).toMatchObject({ Runtime: 'nodejs20.x', Handler: 'index.handler', Architectures: ['arm64'] });
    expect(configuration.CodeSha256).toBe(createHash('sha256').update(zip).digest('base64'));
    expect(configuration.Environment.Variables).toEqual({
      ENDPOINT_NAME: NAME,
      TOKEN_PARAMETER: outputs.token_parameter_name,
      MAX_BODY_BYTES: String(4 * 1024 * 1024),
      MODEL_TIMEOUT_MS: '25000',
    });

    const api = ok(apis).Items.find((a: { Name: string }) => a.Name === NAME);
    expect(api.ProtocolType).toBe('HTTP');
    const permission = JSON.parse(ok(lambdaPolicy).Policy).Statement[0];
    expect(permission.Principal).toEqual({ Service: 'apigateway.amazonaws.com' });
    expect(JSON.stringify(permission.Condition)).toContain(`:${api.ApiId}/*`);

    const [routes, stages, integrations] = await boto3(
      [
        { service: 'apigatewayv2', operation: 'get_routes', params: { ApiId: api.ApiId } },
        { service: 'apigatewayv2', operation: 'get_stages', params: { ApiId: api.ApiId } },
        { service: 'apigatewayv2', operation: 'get_integrations', params: { ApiId: api.ApiId } },
      ],
      env,
    );
    expect(ok(routes).Items.map((r: { RouteKey: string }) => r.RouteKey).sort()).toEqual(['$default', 'GET /ping', 'GET /schema', 'POST /invocations']);
    const [integration] = ok(integrations).Items;
    expect(integration).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    expect(integration.IntegrationUri).toContain(`function:${NAME}-gateway`);
    expect(ok(routes).Items.every((r: { Target: string }) => r.Target === `integrations/${integration.IntegrationId}`)).toBe(true);
    const [stage] = ok(stages).Items;
    expect(stage).toMatchObject({ StageName: '$default', AutoDeploy: true });
    expect(stage.AccessLogSettings.DestinationArn).toBe(`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${outputs.log_group_names.access}`);
    expect(stage.AccessLogSettings.Format).not.toMatch(/authorization|header/i);

    const statements = (p: typeof gatewayPolicy) => {
      const document = ok(p).PolicyDocument;
      return (typeof document === 'string' ? JSON.parse(decodeURIComponent(document)) : document).Statement;
    };
    expect(statements(gatewayPolicy)).toEqual([
      { Sid: 'InvokeModel', Effect: 'Allow', Action: 'sagemaker:InvokeEndpoint', Resource: endpoint.EndpointArn },
      {
        Sid: 'ReadToken',
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter${outputs.token_parameter_name}`,
      },
      {
        Sid: 'WriteGatewayLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${outputs.log_group_names.gateway}:*`,
      },
    ]);
    expect(statements(sagemakerPolicy).find((s: { Sid: string }) => s.Sid === 'PullModelImage').Resource).toBe(
      `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${MODEL}`,
    );

    const [state] = await boto3([{ service: 's3', operation: 'head_object', params: { Bucket: STATE_BUCKET, Key: STATE_KEY } }], env);
    expect(ok(state).ContentLength).toBeGreaterThan(0);

    // The token is write-only: the state in the bucket has the parameter, not its value.
    const s3 = new S3Client(emulatorS3ClientConfig(moto.endpoint));
    const stateText = await (await s3.send(new GetObjectCommand({ Bucket: STATE_BUCKET, Key: STATE_KEY }))).Body!.transformToString();
    expect(stateText).toContain(outputs.token_parameter_name);
    expect(stateText).not.toContain(token);
    const parameterState = JSON.parse(stateText).resources.find((r: { type: string }) => r.type === 'aws_ssm_parameter').instances[0].attributes;
    expect(parameterState.value_wo).toBeNull();
    expect(parameterState.value_wo_version).toBe(1);
  }, testTimeout(1));

  it('re-applies a new commit in place and keeps CreatedAt', async () => {
    const planned = await terraformOk(['plan', '-input=false', '-no-color', LOCK_TIMEOUT, '-out=next.tfplan', ...vars(SECOND_SHA)], { cwd: root, env });
    timings.plan = planned.ms;
    const plan = JSON.parse((await terraformOk(['show', '-json', 'next.tfplan'], { cwd: root, env })).stdout);
    const actions = new Set<string>(plan.resource_changes.flatMap((c: { change: { actions: string[] } }) => c.change.actions));
    expect([...actions].sort()).toEqual(['no-op', 'update']);
    // A new commit with the same image leaves SageMaker alone: no UpdateEndpoint, no new endpoint config.
    const sagemakerChanges = plan.resource_changes.filter((c: { type: string; change: { actions: string[] } }) => c.type.startsWith('aws_sagemaker_') && c.change.actions.join() !== 'no-op');
    expect(sagemakerChanges).toEqual([]);

    timings.reapply = (await terraformOk(['apply', '-input=false', '-no-color', LOCK_TIMEOUT, 'next.tfplan'], { cwd: root, env })).ms;
    const after = await readOutputs();
    expect(after.created_at).toBe(outputs.created_at);
    expect(after.expires_at).toBe(outputs.expires_at);
    expect(after.model_name).toBe(outputs.model_name);
    outputs = after;

    const tags = await collectTags();
    for (const [resource, actual] of Object.entries(tags)) {
      expect({ resource, GitSha: actual.GitSha, CreatedAt: actual.CreatedAt }).toEqual({
        resource,
        GitSha: SERVING.includes(resource) ? undefined : SECOND_SHA,
        CreatedAt: outputs.created_at,
      });
    }

    const again = await terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color', LOCK_TIMEOUT, ...vars(SECOND_SHA)], { cwd: root, env });
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);
  }, testTimeout(5));

  it('destroys every resource of the preview and releases the state lock', async () => {
    timings.destroy = (
      await terraformOk(['destroy', '-auto-approve', '-input=false', '-no-color', LOCK_TIMEOUT, ...vars(SECOND_SHA)], { cwd: root, env })
    ).ms;

    const sm = sagemaker();
    await expect(sm.send(new DescribeEndpointCommand({ EndpointName: NAME }))).rejects.toThrow(/Could not find endpoint/);
    await expect(sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: outputs.endpoint_config_name }))).rejects.toThrow(
      /Could not find endpoint configuration/,
    );
    expect((await sm.send(new ListModelsCommand({ NameContains: NAME }))).Models).toEqual([]);

    const ssm = new SSMClient(emulatorClientConfig(moto.endpoint));
    await expect(ssm.send(new GetParameterCommand({ Name: outputs.token_parameter_name }))).rejects.toMatchObject({ name: 'ParameterNotFound' });

    const logs = new CloudWatchLogsClient(emulatorClientConfig(moto.endpoint));
    for (const prefix of ['/aws/lambda/', '/aws/apigateway/', '/aws/sagemaker/']) {
      const found = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix }));
      expect(found.logGroups ?? []).toEqual([]);
    }

    const [fn, apis, roles, locks] = await boto3(
      [
        { service: 'lambda', operation: 'get_function', params: { FunctionName: outputs.lambda_function_name } },
        { service: 'apigatewayv2', operation: 'get_apis' },
        { service: 'iam', operation: 'list_roles', params: { PathPrefix: '/ephenv/' } },
        { service: 'dynamodb', operation: 'scan', params: { TableName: LOCK_TABLE } },
      ],
      env,
    );
    expect(fn.error).toBe('ResourceNotFoundException');
    expect(ok(apis).Items).toEqual([]);
    expect(ok(roles).Roles).toEqual([]);
    // Only the state digest remains in the lock table: no run still holds the lock.
    const lockIds = ok(locks).Items.map((item: { LockID: { S: string } }) => item.LockID.S);
    expect(lockIds).toEqual([`${STATE_BUCKET}/${STATE_KEY}-md5`]);
  }, testTimeout(1));
});
