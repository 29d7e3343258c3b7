import { ApiGatewayV2Client, CreateApiCommand, GetApiCommand } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, GetRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { strToU8, zipSync } from 'fflate';
import { createHash, randomBytes } from 'node:crypto';
import { EPHEMERAL_MARKERS, previewName } from '@ephenv/core';
import { emulatorClientConfig, EMULATOR_REGION } from './emulator-env';

/** moto's account id. */
const ACCOUNT = '123456789012';

export type OrphanPart = 'endpoint' | 'endpointConfig' | 'model' | 'lambda' | 'api' | 'logGroups' | 'parameter' | 'roles';

export interface InjectOrphanOptions {
  project: string;
  pr: string;
  expiresAt: Date;
  createdAt?: Date;
  /** Name every resource starts with (default `<project>-pr-<pr>`, as libs/infra/preview-stack names them). */
  name?: string;
  /** Tag changes on every resource: a string sets the tag, null removes it (e.g. `{ ManagedBy: null }`). */
  tags?: Record<string, string | null>;
  /** Tag changes on some resources only, applied after `tags`. */
  partTags?: Partial<Record<OrphanPart, Record<string, string | null>>>;
  /** No tags at all on any resource (a hand-made or production stack). */
  untagged?: boolean;
  region?: string;
}

export interface InjectedOrphan {
  name: string;
  endpointName: string;
  endpointConfigName: string;
  modelName: string;
  functionName: string;
  apiId: string;
  logGroupNames: string[];
  parameterName: string;
  roleNames: string[];
  /** The tags each part was created with. */
  tagsOf(part: OrphanPart): Record<string, string>;
  /** The parts that still exist, e.g. `["lambda iris-pr-7-gateway"]`, read with the test's own SDK calls. */
  remaining(): Promise<string[]>;
}

const hash8 = (value: string) => createHash('sha1').update(value).digest('hex').slice(0, 8);

/**
 * Creates, directly with the AWS SDK against an emulator, the resources one aws preview has
 * (SageMaker model, endpoint config and endpoint; gateway Lambda; HTTP API; three log groups; the
 * token parameter; two IAM roles with an inline and a managed policy), named and tagged as
 * libs/infra/preview-stack names and tags them, but with no Terraform state: an orphan.
 */
export async function injectOrphan(motoEndpoint: string, options: InjectOrphanOptions): Promise<InjectedOrphan> {
  const config = emulatorClientConfig(motoEndpoint, options.region ?? EMULATOR_REGION);
  const region = config.region;
  const name = options.name ?? previewName(options.project, options.pr);
  const createdAt = options.createdAt ?? new Date(options.expiresAt.getTime() - 72 * 3600_000);

  const base: Record<string, string> = {
    ...EPHEMERAL_MARKERS,
    Project: options.project,
    PR_Number: options.pr,
    GitSha: '0123abc4567def0123abc4567def0123abc4567d',
    CreatedAt: createdAt.toISOString(),
    ExpiresAt: options.expiresAt.toISOString(),
  };
  const tagsOf = (part: OrphanPart): Record<string, string> => {
    if (options.untagged) return {};
    const tags = { ...base };
    for (const changes of [options.tags, options.partTags?.[part]]) {
      for (const [key, value] of Object.entries(changes ?? {})) {
        if (value === null) delete tags[key];
        else tags[key] = value;
      }
    }
    return tags;
  };
  const tagList = (part: OrphanPart) => {
    const list = Object.entries(tagsOf(part)).map(([Key, Value]) => ({ Key, Value }));
    return list.length > 0 ? list : undefined;
  };
  const tagRecord = (part: OrphanPart) => {
    const tags = tagsOf(part);
    return Object.keys(tags).length > 0 ? tags : undefined;
  };

  const iam = new IAMClient(config);
  const ssm = new SSMClient(config);
  const logs = new CloudWatchLogsClient(config);
  const lambda = new LambdaClient(config);
  const apigateway = new ApiGatewayV2Client(config);
  const sagemaker = new SageMakerClient(config);
  const clients = [iam, ssm, logs, lambda, apigateway, sagemaker];

  const roleNames = [`${name}-gateway`, `${name}-sagemaker`];
  const trust = (service: string) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: service } }] });
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] });
  const logGroupNames = [`/aws/lambda/${name}-gateway`, `/aws/apigateway/${name}/access`, `/aws/sagemaker/Endpoints/${name}`];
  const parameterName = `/ephenv/${name}/token`;
  const functionName = `${name}-gateway`;
  const modelName = `${name}-${hash8(`model ${name}`)}`;
  const endpointConfigName = `${name}-${hash8(`config ${name}`)}`;

  try {
    const roleArns: string[] = [];
    for (const [roleName, service] of [
      [roleNames[0], 'lambda.amazonaws.com'],
      [roleNames[1], 'sagemaker.amazonaws.com'],
    ]) {
      const role = await iam.send(
        new CreateRoleCommand({ RoleName: roleName, Path: '/ephenv/', AssumeRolePolicyDocument: trust(service), Tags: tagList('roles') }),
      );
      roleArns.push(role.Role!.Arn!);
      await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'runtime', PolicyDocument: policy }));
    }
    // A managed policy too: the role cannot be deleted before it is detached.
    const managed = await iam.send(new CreatePolicyCommand({ PolicyName: `${name}-extra-${randomBytes(3).toString('hex')}`, PolicyDocument: policy }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleNames[1], PolicyArn: managed.Policy!.Arn! }));

    await ssm.send(new PutParameterCommand({ Name: parameterName, Type: 'SecureString', Value: randomBytes(24).toString('base64url'), Tags: tagList('parameter') }));
    for (const logGroupName of logGroupNames) await logs.send(new CreateLogGroupCommand({ logGroupName, tags: tagRecord('logGroups') }));

    const zip = zipSync({ 'index.js': strToU8('exports.handler = async () => ({ statusCode: 200, body: "{}" });\n') });
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: functionName,
        Role: roleArns[0],
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Architectures: ['arm64'],
        Code: { ZipFile: zip },
        Tags: tagRecord('lambda'),
      }),
    );
    const api = await apigateway.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP', Tags: tagRecord('api') }));

    await sagemaker.send(
      new CreateModelCommand({
        ModelName: modelName,
        ExecutionRoleArn: roleArns[1],
        PrimaryContainer: { Image: `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/${options.project}:0123abc` },
        Tags: tagList('model'),
      }),
    );
    await sagemaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: endpointConfigName,
        ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: modelName, ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 } }],
        Tags: tagList('endpointConfig'),
      }),
    );
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: endpointConfigName, Tags: tagList('endpoint') }));

    return {
      name,
      endpointName: name,
      endpointConfigName,
      modelName,
      functionName,
      apiId: api.ApiId!,
      logGroupNames,
      parameterName,
      roleNames,
      tagsOf,
      remaining: () => remainingParts(config, { name, endpointConfigName, modelName, functionName, apiId: api.ApiId!, logGroupNames, parameterName, roleNames }),
    };
  } finally {
    for (const client of clients) client.destroy();
  }
}

/** How each service answers a read of something that does not exist (SageMaker: a ValidationException). */
const MISSING = ['ResourceNotFoundException', 'NotFoundException', 'ParameterNotFound', 'NoSuchEntityException'];

type Names = Pick<InjectedOrphan, 'name' | 'endpointConfigName' | 'modelName' | 'functionName' | 'apiId' | 'logGroupNames' | 'parameterName' | 'roleNames'>;

async function remainingParts(config: ReturnType<typeof emulatorClientConfig>, names: Names): Promise<string[]> {
  const iam = new IAMClient(config);
  const ssm = new SSMClient(config);
  const logs = new CloudWatchLogsClient(config);
  const lambda = new LambdaClient(config);
  const apigateway = new ApiGatewayV2Client(config);
  const sagemaker = new SageMakerClient(config);
  const exists = async (label: string, read: () => Promise<unknown>): Promise<string[]> => {
    try {
      await read();
      return [label];
    } catch (e) {
      const { name, message } = e as Error;
      if (MISSING.includes(name) || (name === 'ValidationException' && /could not find/i.test(message))) return [];
      throw e;
    }
  };
  try {
    const groups = [];
    for (const logGroupName of names.logGroupNames) {
      const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName }));
      if (page.logGroups?.some((g) => g.logGroupName === logGroupName)) groups.push(`log group ${logGroupName}`);
    }
    return [
      ...(await exists(`endpoint ${names.name}`, () => sagemaker.send(new DescribeEndpointCommand({ EndpointName: names.name })))),
      ...(await exists(`endpoint config ${names.endpointConfigName}`, () =>
        sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: names.endpointConfigName })),
      )),
      ...(await exists(`model ${names.modelName}`, () => sagemaker.send(new DescribeModelCommand({ ModelName: names.modelName })))),
      ...(await exists(`lambda ${names.functionName}`, () => lambda.send(new GetFunctionCommand({ FunctionName: names.functionName })))),
      ...(await exists(`http api ${names.apiId}`, () => apigateway.send(new GetApiCommand({ ApiId: names.apiId })))),
      ...groups,
      ...(await exists(`parameter ${names.parameterName}`, () => ssm.send(new GetParameterCommand({ Name: names.parameterName })))),
      ...(await exists(`role ${names.roleNames[0]}`, () => iam.send(new GetRoleCommand({ RoleName: names.roleNames[0] })))),
      ...(await exists(`role ${names.roleNames[1]}`, () => iam.send(new GetRoleCommand({ RoleName: names.roleNames[1] })))),
    ];
  } finally {
    for (const client of [iam, ssm, logs, lambda, apigateway, sagemaker]) client.destroy();
  }
}
