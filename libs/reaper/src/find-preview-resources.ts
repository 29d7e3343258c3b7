import { GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import { paginateListRoles } from '@aws-sdk/client-iam';
import { paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import { DescribeEndpointCommand, DescribeEndpointConfigCommand } from '@aws-sdk/client-sagemaker';
import { EPHEMERAL_MARKERS, previewName } from '@ephenv/core';
import type { ReaperClients } from './aws-clients';
import { isNotFound, ownershipProblem, type PreviewId, type Tags } from './preview-tags';
import { describeResource, KINDS, type PreviewResource } from './resource-kinds';

// Names libs/infra/preview-stack gives a preview's resources (its defaults for iam_path and parameter_prefix).
const IAM_PATH = '/ephenv/';
const parameterName = (name: string) => `/ephenv/${name}/token`;
const functionName = (name: string) => `${name}-gateway`;
const logGroups = (name: string) => ({
  exact: [`/aws/lambda/${name}-gateway`, `/aws/sagemaker/Endpoints/${name}`],
  under: `/aws/apigateway/${name}/`,
});

export interface Discovery {
  /** Resources tagged with both markers and this preview's Project and PR_Number. */
  resources: PreviewResource[];
  /** Resources found by name that the reaper leaves alone, and why. */
  ignored: { resource: PreviewResource; why: string }[];
  /** Resources tagged for this preview that the reaper has no delete call for, or a search that was skipped. */
  notes: string[];
  /** Lookups that failed: something of the preview may be left that the reaper could not see. */
  errors: string[];
}

const describeError = (e: unknown) => `${(e as Error).name}: ${(e as Error).message}`;

const key = (r: PreviewResource) => `${r.kind}:${r.id ?? r.name}`;

/**
 * A resource from an ARN the tagging API returned; 'covered' for HTTP APIs and their stages (every
 * API is listed through GetApis, and a stage goes with its API); undefined for a kind of resource
 * the reaper has no delete call for.
 */
export function resourceFromArn(arn: string): PreviewResource | 'covered' | undefined {
  const [, , service, , , ...rest] = arn.split(':');
  const resource = rest.join(':');
  const slash = resource.indexOf('/');
  const type = slash < 0 ? resource : resource.slice(0, slash);
  const path = slash < 0 ? '' : resource.slice(slash + 1);
  switch (service) {
    case 'sagemaker':
      if (type === 'endpoint' || type === 'endpoint-config' || type === 'model') return { kind: type, name: path };
      return undefined;
    case 'lambda':
      return resource.startsWith('function:') ? { kind: 'lambda', name: resource.split(':')[1] } : undefined;
    case 'logs':
      return resource.startsWith('log-group:') ? { kind: 'log-group', name: resource.slice('log-group:'.length).replace(/:\*$/, '') } : undefined;
    case 'ssm':
      // Hierarchical names (/ephenv/...) lose their leading slash in the ARN.
      return type === 'parameter' ? { kind: 'parameter', name: path.includes('/') ? `/${path}` : path } : undefined;
    case 'iam':
      return type === 'role' ? { kind: 'iam-role', name: path.split('/').pop()! } : undefined;
    case 'apigateway':
      return resource.startsWith('/apis/') ? 'covered' : undefined;
    default:
      return undefined;
  }
}

/** The endpoint → endpoint config → model chain behind each endpoint. */
async function endpointChain(clients: ReaperClients, endpointNames: string[]): Promise<PreviewResource[]> {
  const found: PreviewResource[] = [];
  for (const name of endpointNames) {
    found.push({ kind: 'endpoint', name });
    let configName: string | undefined;
    try {
      configName = (await clients.sagemaker.send(new DescribeEndpointCommand({ EndpointName: name }))).EndpointConfigName;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    if (!configName) continue;
    found.push({ kind: 'endpoint-config', name: configName });
    try {
      const config = await clients.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName }));
      for (const variant of [...(config.ProductionVariants ?? []), ...(config.ShadowProductionVariants ?? [])]) {
        if (variant.ModelName) found.push({ kind: 'model', name: variant.ModelName });
      }
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return found;
}

/** The tagging API's names of the resource types the reaper deletes. */
const TAGGED_TYPES = ['sagemaker:endpoint', 'sagemaker:endpoint-config', 'sagemaker:model', 'lambda:function', 'apigateway', 'logs:log-group', 'ssm:parameter'];

async function searchTags(clients: ReaperClients, TagFilters: { Key: string; Values: string[] }[], ResourceTypeFilters?: string[]): Promise<string[]> {
  const arns: string[] = [];
  for await (const page of paginateGetResources({ client: clients.tagging }, { TagFilters, ResourceTypeFilters })) {
    for (const mapping of page.ResourceTagMappingList ?? []) if (mapping.ResourceARN) arns.push(mapping.ResourceARN);
  }
  return arns;
}

/**
 * Everything tagged for this preview, through the Resource Groups Tagging API: one search over
 * all types, or, when that fails (an emulator that cannot list some type), one search per type
 * the reaper deletes, so one failing type does not hide the others.
 */
async function taggedResources(clients: ReaperClients, preview: PreviewId, notes: string[]): Promise<PreviewResource[]> {
  const TagFilters = [
    ...Object.entries(EPHEMERAL_MARKERS).map(([Key, value]) => ({ Key, Values: [value] })),
    { Key: 'Project', Values: [preview.project] },
    { Key: 'PR_Number', Values: [preview.pr] },
  ];
  let arns: string[];
  try {
    arns = await searchTags(clients, TagFilters);
  } catch (e) {
    arns = [];
    const failed: string[] = [];
    for (const type of TAGGED_TYPES) {
      try {
        arns.push(...(await searchTags(clients, TagFilters, [type])));
      } catch {
        failed.push(type);
      }
    }
    if (failed.length === TAGGED_TYPES.length) notes.push(`the Resource Groups Tagging API could not be searched (${describeError(e)}); found resources by name only`);
    else if (failed.length > 0) notes.push(`the Resource Groups Tagging API could not be searched for ${failed.join(', ')}; found those by name only`);
  }

  const found: PreviewResource[] = [];
  for (const arn of arns) {
    const resource = resourceFromArn(arn);
    if (resource === undefined) notes.push(`${arn} is tagged for this preview but the reaper does not delete that kind of resource: delete it by hand`);
    else if (resource !== 'covered') found.push(resource);
  }
  return found;
}

/** HTTP APIs named as the preview, or tagged with its Project and PR_Number (GetApis lists the tags). */
async function httpApis(clients: ReaperClients, preview: PreviewId, name: string): Promise<PreviewResource[]> {
  const found: PreviewResource[] = [];
  let NextToken: string | undefined;
  do {
    const page = await clients.apigateway.send(new GetApisCommand({ NextToken }));
    for (const api of page.Items ?? []) {
      const tags = api.Tags ?? {};
      if (api.Name === name || (tags.Project === preview.project && tags.PR_Number === preview.pr)) found.push({ kind: 'http-api', name: api.Name!, id: api.ApiId });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

async function previewLogGroups(clients: ReaperClients, name: string): Promise<PreviewResource[]> {
  const found: PreviewResource[] = [];
  const groups = logGroups(name);
  for (const prefix of [...groups.exact, groups.under]) {
    for await (const page of paginateDescribeLogGroups({ client: clients.logs }, { logGroupNamePrefix: prefix })) {
      for (const group of page.logGroups ?? []) {
        const groupName = group.logGroupName!;
        if (groups.exact.includes(groupName) || groupName.startsWith(groups.under)) found.push({ kind: 'log-group', name: groupName });
      }
    }
  }
  return found;
}

async function previewRoles(clients: ReaperClients, name: string): Promise<PreviewResource[]> {
  const found: PreviewResource[] = [];
  for await (const page of paginateListRoles({ client: clients.iam }, { PathPrefix: IAM_PATH })) {
    // The trailing hyphen keeps pr-4's search away from pr-42's roles.
    for (const role of page.Roles ?? []) if (role.RoleName!.startsWith(`${name}-`)) found.push({ kind: 'iam-role', name: role.RoleName! });
  }
  return found;
}

/**
 * Finds a preview's resources by its endpoints, by the names libs/infra/preview-stack gives them and by tags,
 * then reads each one's tags: only those carrying both markers and this preview's Project and
 * PR_Number are returned for deletion; the rest are listed as ignored.
 */
export async function findPreviewResources(clients: ReaperClients, preview: PreviewId, endpointNames: string[]): Promise<Discovery> {
  const discovery: Discovery = { resources: [], ignored: [], notes: [], errors: [] };
  const name = previewName(preview.project, preview.pr);
  const lookup = async (what: string, find: () => Promise<PreviewResource[]>) => {
    try {
      return await find();
    } catch (e) {
      discovery.errors.push(`looking up ${what} failed: ${describeError(e)}`);
      return [];
    }
  };
  const candidates: PreviewResource[] = [
    ...(await lookup(`the SageMaker endpoint config and models behind ${endpointNames.join(', ')}`, () => endpointChain(clients, endpointNames))),
    { kind: 'lambda', name: functionName(name) },
    { kind: 'parameter', name: parameterName(name) },
    ...(await lookup(`the HTTP APIs (GetApis)`, () => httpApis(clients, preview, name))),
    ...(await lookup(`the log groups of ${name} (DescribeLogGroups)`, () => previewLogGroups(clients, name))),
    ...(await lookup(`the IAM roles ${IAM_PATH}${name}-* (ListRoles)`, () => previewRoles(clients, name))),
    ...(await taggedResources(clients, preview, discovery.notes)),
  ];

  const unique = new Map<string, PreviewResource>();
  for (const candidate of candidates) if (!unique.has(key(candidate))) unique.set(key(candidate), candidate);

  for (const resource of unique.values()) {
    let tags: Tags | undefined;
    try {
      tags = await KINDS[resource.kind].readTags(clients, resource);
    } catch (e) {
      discovery.errors.push(`reading the tags of ${describeResource(resource)} failed: ${describeError(e)}`);
      continue;
    }
    if (tags === undefined) continue;
    const problem = ownershipProblem(tags, preview);
    if (problem) discovery.ignored.push({ resource, why: problem });
    else discovery.resources.push(resource);
  }
  return discovery;
}
