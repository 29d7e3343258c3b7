import { DeleteApiCommand, GetApiCommand } from '@aws-sdk/client-apigatewayv2';
import { DeleteLogGroupCommand, DescribeLogGroupsCommand, ListTagsForResourceCommand as ListLogGroupTagsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListInstanceProfilesForRole,
  paginateListRolePolicies,
  paginateListRoleTags,
  RemoveRoleFromInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import { DeleteFunctionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
} from '@aws-sdk/client-sagemaker';
import { DeleteParameterCommand, ListTagsForResourceCommand as ListParameterTagsCommand } from '@aws-sdk/client-ssm';
import type { ReaperClients } from './aws-clients';
import { sagemakerTags } from './find-candidates';
import { isNotFound, tagMap, type Tags } from './preview-tags';

export type ResourceKind = 'endpoint' | 'endpoint-config' | 'model' | 'http-api' | 'lambda' | 'parameter' | 'log-group' | 'iam-role';

/** One AWS resource of a preview, named the way its service's delete call wants it. */
export interface PreviewResource {
  kind: ResourceKind;
  /** Endpoint, config, model, function, parameter, log group or role name; the HTTP API's name. */
  name: string;
  /** The HTTP API's id (its delete call takes the id, not the name). */
  id?: string;
}

interface KindHandler {
  label: string;
  /** The resource's tags now, or undefined when it no longer exists. */
  readTags(clients: ReaperClients, resource: PreviewResource): Promise<Tags | undefined>;
  remove(clients: ReaperClients, resource: PreviewResource): Promise<void>;
  /** The AWS CLI command that deletes it by hand. */
  manual(resource: PreviewResource, region: string): string;
}

/**
 * Deletion order: the API before the Lambda it calls, and the endpoint last. SageMaker lets a
 * config and a model go while an endpoint still uses them, and the endpoint is what the reaper
 * finds previews by: while it stands, the next run retries whatever this one could not delete.
 */
export const DELETE_ORDER: ResourceKind[] = ['http-api', 'lambda', 'parameter', 'log-group', 'endpoint-config', 'model', 'iam-role', 'endpoint'];

/** Runs a read and turns "does not exist" into undefined. */
async function unlessGone<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** A delete of something already gone counts as done: another run, or Terraform, got there first. */
async function removeUnlessGone(remove: () => Promise<unknown>): Promise<void> {
  await unlessGone(remove);
}

async function logGroupArn(clients: ReaperClients, name: string): Promise<string | undefined> {
  const page = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  const group = page.logGroups?.find((g) => g.logGroupName === name);
  return group && (group.logGroupArn ?? group.arn?.replace(/:\*$/, ''));
}

/** IAM refuses to delete a role with policies or instance profiles attached. */
async function emptyAndDeleteRole(clients: ReaperClients, roleName: string): Promise<void> {
  const { iam } = clients;
  for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: roleName })) {
    for (const PolicyName of page.PolicyNames ?? []) await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName }));
  }
  for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName })) {
    for (const policy of page.AttachedPolicies ?? []) await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy.PolicyArn }));
  }
  for await (const page of paginateListInstanceProfilesForRole({ client: iam }, { RoleName: roleName })) {
    for (const profile of page.InstanceProfiles ?? []) {
      await iam.send(new RemoveRoleFromInstanceProfileCommand({ RoleName: roleName, InstanceProfileName: profile.InstanceProfileName }));
    }
  }
  await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
}

export const KINDS: Record<ResourceKind, KindHandler> = {
  endpoint: {
    label: 'SageMaker endpoint',
    readTags: (c, r) => unlessGone(async () => sagemakerTags(c.sagemaker, (await c.sagemaker.send(new DescribeEndpointCommand({ EndpointName: r.name }))).EndpointArn!)),
    remove: (c, r) => removeUnlessGone(() => c.sagemaker.send(new DeleteEndpointCommand({ EndpointName: r.name }))),
    manual: (r, region) => `aws sagemaker delete-endpoint --region ${region} --endpoint-name ${r.name}`,
  },
  'endpoint-config': {
    label: 'SageMaker endpoint config',
    readTags: (c, r) =>
      unlessGone(async () => sagemakerTags(c.sagemaker, (await c.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: r.name }))).EndpointConfigArn!)),
    remove: (c, r) => removeUnlessGone(() => c.sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: r.name }))),
    manual: (r, region) => `aws sagemaker delete-endpoint-config --region ${region} --endpoint-config-name ${r.name}`,
  },
  model: {
    label: 'SageMaker model',
    readTags: (c, r) => unlessGone(async () => sagemakerTags(c.sagemaker, (await c.sagemaker.send(new DescribeModelCommand({ ModelName: r.name }))).ModelArn!)),
    remove: (c, r) => removeUnlessGone(() => c.sagemaker.send(new DeleteModelCommand({ ModelName: r.name }))),
    manual: (r, region) => `aws sagemaker delete-model --region ${region} --model-name ${r.name}`,
  },
  'http-api': {
    label: 'HTTP API',
    readTags: (c, r) => unlessGone(async () => (await c.apigateway.send(new GetApiCommand({ ApiId: r.id }))).Tags ?? {}),
    remove: (c, r) => removeUnlessGone(() => c.apigateway.send(new DeleteApiCommand({ ApiId: r.id }))),
    manual: (r, region) => `aws apigatewayv2 delete-api --region ${region} --api-id ${r.id}`,
  },
  lambda: {
    label: 'Lambda function',
    readTags: (c, r) => unlessGone(async () => (await c.lambda.send(new GetFunctionCommand({ FunctionName: r.name }))).Tags ?? {}),
    remove: (c, r) => removeUnlessGone(() => c.lambda.send(new DeleteFunctionCommand({ FunctionName: r.name }))),
    manual: (r, region) => `aws lambda delete-function --region ${region} --function-name ${r.name}`,
  },
  parameter: {
    label: 'SSM parameter',
    readTags: (c, r) =>
      unlessGone(async () => tagMap((await c.ssm.send(new ListParameterTagsCommand({ ResourceType: 'Parameter', ResourceId: r.name }))).TagList)),
    remove: (c, r) => removeUnlessGone(() => c.ssm.send(new DeleteParameterCommand({ Name: r.name }))),
    manual: (r, region) => `aws ssm delete-parameter --region ${region} --name ${r.name}`,
  },
  'log-group': {
    label: 'log group',
    readTags: async (c, r) => {
      const arn = await logGroupArn(c, r.name);
      return arn === undefined ? undefined : unlessGone(async () => (await c.logs.send(new ListLogGroupTagsCommand({ resourceArn: arn }))).tags ?? {});
    },
    remove: (c, r) => removeUnlessGone(() => c.logs.send(new DeleteLogGroupCommand({ logGroupName: r.name }))),
    manual: (r, region) => `aws logs delete-log-group --region ${region} --log-group-name ${r.name}`,
  },
  'iam-role': {
    label: 'IAM role',
    readTags: (c, r) =>
      unlessGone(async () => {
        const tags: Tags = {};
        for await (const page of paginateListRoleTags({ client: c.iam }, { RoleName: r.name })) Object.assign(tags, tagMap(page.Tags));
        return tags;
      }),
    remove: (c, r) => removeUnlessGone(() => emptyAndDeleteRole(c, r.name)),
    manual: (r) =>
      `aws iam list-role-policies --role-name ${r.name} (then delete-role-policy for each), ` +
      `aws iam list-attached-role-policies --role-name ${r.name} (then detach-role-policy for each), aws iam delete-role --role-name ${r.name}`,
  },
};

/** `SageMaker endpoint iris-classifier-pr-42`, `HTTP API iris-classifier-pr-42 (a1b2c3)`. */
export function describeResource(resource: PreviewResource): string {
  return `${KINDS[resource.kind].label} ${resource.name}${resource.id ? ` (${resource.id})` : ''}`;
}
