import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiGatewayV2Client, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, ListTagsForResourceCommand as ListLogTagsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { GetRoleCommand, IAMClient, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { DescribeParametersCommand, GetParameterCommand, ListTagsForResourceCommand as ListParameterTagsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { emulatorClientConfig, emulatorS3ClientConfig } from './emulator-env';
import { REPO } from './workspace';

export const ACCOUNT = '123456789012'; // moto's account
export const REGION = 'us-east-1';
export const STATE_BUCKET = 'ephenv-test-state';
export const LOCK_TABLE = 'ephenv-test-locks';
export const imageUri = (project: string, tag: string) => `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${project}:${tag}`;

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/**
 * Makes a throwaway workspace (see workspace.ts) a git repository whose models' root stacks find
 * their module where a generated workspace has it: libs/infra/preview-stack (a link to the real one).
 */
export function prepareAwsWorkspace(root: string): void {
  mkdirSync(join(root, 'libs', 'infra'), { recursive: true });
  symlinkSync(join(REPO, 'libs', 'infra', 'preview-stack'), join(root, 'libs', 'infra', 'preview-stack'), 'dir');
  writeFileSync(join(root, '.gitignore'), '.ephenv/\ndist/\n.terraform.lock.hcl\n');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  commit(root, 'models');
}

/** A new commit (an empty one will do): the next deploy is of a new git SHA. Returns it. */
export function commit(root: string, message: string): string {
  git(root, '-c', 'user.name=ephenv tests', '-c', 'user.email=tests@ephenv.invalid', 'commit', '-q', '--allow-empty', '-m', message);
  return git(root, 'rev-parse', 'HEAD');
}

/**
 * The variables the provider reads, pointing at the emulator and the test's state bucket; `mirror`
 * (findProviderMirror of @ephenv/preview, found once by the caller) spares every test workspace its own search.
 */
export function awsTestEnv(endpoint: string, mirror?: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    EPHENV_STATE_BUCKET: STATE_BUCKET,
    EPHENV_LOCK_TABLE: LOCK_TABLE,
    ...(mirror ? { EPHENV_TF_PROVIDER_MIRROR: mirror } : {}),
  };
}

/** Sets `vars` in process.env and returns how to put the previous values back. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  return () => apply(saved);
}

/** What bootstrap creates once per account: the state bucket, the lock table, one ECR repository per model. */
export async function bootstrapEmulator(endpoint: string, models: string[]): Promise<void> {
  const config = emulatorClientConfig(endpoint);
  await new S3Client(emulatorS3ClientConfig(endpoint)).send(new CreateBucketCommand({ Bucket: STATE_BUCKET }));
  await new DynamoDBClient(config).send(
    new CreateTableCommand({
      TableName: LOCK_TABLE,
      AttributeDefinitions: [{ AttributeName: 'LockID', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'LockID', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const ecr = new ECRClient(config);
  for (const model of models) await ecr.send(new CreateRepositoryCommand({ repositoryName: model }));
}

type Tags = Record<string, string>;
const toTags = (list: { Key?: string; Value?: string }[] | undefined): Tags => Object.fromEntries((list ?? []).map((t) => [t.Key!, t.Value!]));

export interface PreviewResources {
  endpoints: string[];
  endpointConfigs: string[];
  models: string[];
  lambda?: { codeSha256: string; environment: Record<string, string>; tags: Tags };
  apis: { id: string; tags: Tags }[];
  logGroups: string[];
  parameter?: { type: string; value: string };
  roles: string[];
  /** Tags of every resource found, by a readable name. */
  tags: Record<string, Tags>;
}

/**
 * Everything of preview `<project>-pr-<pr>` the emulator holds, read with the AWS SDK directly
 * (not with ephenv's code), by name, as an operator would look for it.
 */
export async function findPreviewResources(endpoint: string, project: string, pr: string): Promise<PreviewResources> {
  const name = `${project}-pr-${pr}`;
  const config = emulatorClientConfig(endpoint);
  const sm = new SageMakerClient(config);
  const tags: Record<string, Tags> = {};
  const smTags = async (arn: string) => toTags((await sm.send(new ListTagsCommand({ ResourceArn: arn }))).Tags);

  // NameContains matches `iris-a-pr-7` in `iris-a-pr-70` too: keep exact names and `<name>-<hash>` only.
  const ours = (n: string | undefined) => n === name || new RegExp(`^${name}-[0-9a-f]{8}$`).test(n ?? '');
  const endpoints = ((await sm.send(new ListEndpointsCommand({ NameContains: name }))).Endpoints ?? []).filter((e) => ours(e.EndpointName));
  for (const e of endpoints) {
    tags[`endpoint ${e.EndpointName}`] = await smTags(e.EndpointArn!);
    await sm.send(new DescribeEndpointCommand({ EndpointName: e.EndpointName }));
  }
  const configs = ((await sm.send(new ListEndpointConfigsCommand({ NameContains: name }))).EndpointConfigs ?? []).filter((c) => ours(c.EndpointConfigName));
  for (const c of configs) {
    tags[`endpoint config ${c.EndpointConfigName}`] = await smTags(c.EndpointConfigArn!);
    await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: c.EndpointConfigName }));
  }
  const models = ((await sm.send(new ListModelsCommand({ NameContains: name }))).Models ?? []).filter((m) => ours(m.ModelName));
  for (const m of models) {
    tags[`model ${m.ModelName}`] = await smTags(m.ModelArn!);
    await sm.send(new DescribeModelCommand({ ModelName: m.ModelName }));
  }

  let lambda: PreviewResources['lambda'];
  try {
    const fn = await new LambdaClient(config).send(new GetFunctionCommand({ FunctionName: `${name}-gateway` }));
    lambda = { codeSha256: fn.Configuration!.CodeSha256!, environment: fn.Configuration!.Environment?.Variables ?? {}, tags: fn.Tags ?? {} };
    tags.lambda = lambda.tags;
  } catch (e) {
    if ((e as Error).name !== 'ResourceNotFoundException') throw e;
  }

  const apis = ((await new ApiGatewayV2Client(config).send(new GetApisCommand({}))).Items ?? [])
    .filter((a) => a.Name === name)
    .map((a) => ({ id: a.ApiId!, tags: a.Tags ?? {} }));
  apis.forEach((a) => (tags[`http api ${a.id}`] = a.tags));

  const logs = new CloudWatchLogsClient(config);
  const logGroups: string[] = [];
  for (const group of [`/aws/lambda/${name}-gateway`, `/aws/apigateway/${name}/access`, `/aws/sagemaker/Endpoints/${name}`]) {
    const found = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups ?? [];
    for (const g of found.filter((f) => f.logGroupName === group)) {
      logGroups.push(group);
      tags[`log group ${group}`] = (await logs.send(new ListLogTagsCommand({ resourceArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${g.logGroupName}` }))).tags ?? {};
    }
  }

  const ssm = new SSMClient(config);
  const parameterName = `/ephenv/${name}/token`;
  let parameter: PreviewResources['parameter'];
  const described = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [parameterName] }] }));
  if ((described.Parameters ?? []).length > 0) {
    const value = await ssm.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
    parameter = { type: value.Parameter!.Type!, value: value.Parameter!.Value! };
    tags['token parameter'] = toTags((await ssm.send(new ListParameterTagsCommand({ ResourceType: 'Parameter', ResourceId: parameterName }))).TagList);
  }

  const iam = new IAMClient(config);
  const roles: string[] = [];
  for (const role of [`${name}-gateway`, `${name}-sagemaker`]) {
    try {
      await iam.send(new GetRoleCommand({ RoleName: role }));
      roles.push(role);
      tags[`role ${role}`] = toTags((await iam.send(new ListRoleTagsCommand({ RoleName: role }))).Tags);
    } catch (e) {
      if ((e as Error).name !== 'NoSuchEntityException') throw e;
    }
  }

  return {
    endpoints: endpoints.map((e) => e.EndpointName!),
    endpointConfigs: configs.map((c) => c.EndpointConfigName!),
    models: models.map((m) => m.ModelName!),
    lambda,
    apis,
    logGroups,
    parameter,
    roles,
    tags,
  };
}
