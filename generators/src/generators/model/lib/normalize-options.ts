import { getProjects, joinPathFragments, offsetFromRoot, type Tree } from '@nx/devkit';
import { DEFAULT_MAX_BATCH_SIZE, modelNameProblem } from '@ephenv/core';
import { FRAMEWORKS } from '../frameworks';
import type { ModelGeneratorSchema } from '../schema';

export interface NormalizedModelOptions {
  name: string;
  directory: string;
  projectRoot: string;
  endpointType: 'serverless' | 'realtime';
  instanceType: string;
  productionInstanceType: string;
  /** Most instances one request may carry (ephenv.json's endpoint.maxBatchSize). */
  maxBatchSize: number;
  framework: 'sklearn';
  skipFormat: boolean;
  /** From the project root back to the workspace root, e.g. "../../". */
  offset: string;
}

const INSTANCE_TYPE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;

export function normalizeOptions(tree: Tree, schema: ModelGeneratorSchema): NormalizedModelOptions {
  const name = (schema.name ?? '').trim();
  const problem = modelNameProblem(name);
  if (problem) throw new Error(`Cannot create model service: ${problem}.`);

  const directory = (schema.directory ?? 'apps').replace(/^\.?\/+|\/+$/g, '') || 'apps';
  if (directory.split('/').includes('..')) throw new Error(`--directory must stay inside the workspace; got "${schema.directory}".`);
  const projectRoot = joinPathFragments(directory, name);

  const existing = getProjects(tree).get(name);
  if (existing) {
    throw new Error(`Cannot create model service "${name}": a project of that name already exists at ${existing.root}. Choose another name.`);
  }
  if (tree.exists(projectRoot) && tree.children(projectRoot).length > 0) {
    throw new Error(`Cannot create model service "${name}": ${projectRoot} already exists and is not empty. Choose another name or --directory.`);
  }

  const framework = schema.framework ?? 'sklearn';
  if (!FRAMEWORKS[framework]) throw new Error(`--framework ${framework} is not supported; choose one of: ${Object.keys(FRAMEWORKS).join(', ')}.`);
  const endpointType = schema.endpointType ?? 'serverless';
  if (endpointType !== 'serverless' && endpointType !== 'realtime') {
    throw new Error(`--endpointType must be serverless or realtime; got "${endpointType}".`);
  }
  const instanceType = schema.instanceType ?? 'ml.t2.medium';
  const productionInstanceType = schema.productionInstanceType ?? 'ml.g4dn.xlarge';
  for (const [flag, value] of [['--instanceType', instanceType], ['--productionInstanceType', productionInstanceType]]) {
    if (!INSTANCE_TYPE.test(value)) throw new Error(`${flag} must be a SageMaker instance type such as ml.m5.large; got "${value}".`);
  }

  const maxBatchSize = schema.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1 || maxBatchSize > 100_000) {
    throw new Error(`--maxBatchSize must be a whole number from 1 to 100000; got "${schema.maxBatchSize}".`);
  }

  return {
    name,
    directory,
    projectRoot,
    endpointType,
    instanceType,
    productionInstanceType,
    maxBatchSize,
    framework,
    skipFormat: schema.skipFormat ?? false,
    offset: offsetFromRoot(projectRoot),
  };
}
