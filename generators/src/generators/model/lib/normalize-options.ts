import { getProjects, joinPathFragments, offsetFromRoot, type Tree } from '@nx/devkit';
import { DEFAULT_MAX_BATCH_SIZE, modelNameProblem } from '@ephenv/core';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
  /** --template: a Yeoman generator's output is the container and serving code. */
  yeoman?: YeomanTemplate;
  skipFormat: boolean;
  /** From the project root back to the workspace root, e.g. "../../". */
  offset: string;
}

export interface YeomanTemplate {
  /** As given: a package name or a path. */
  generator: string;
  answers: Record<string, unknown>;
}

/** --templateAnswers: a JSON object, inline or in a file. */
function readAnswers(workspaceRoot: string, value: string | undefined): Record<string, unknown> {
  if (value === undefined || value.trim() === '') return {};
  const file = resolve(workspaceRoot, value);
  const text = value.trim().startsWith('{') || !existsSync(file) ? value : readFileSync(file, 'utf8');
  let answers: unknown;
  try {
    answers = JSON.parse(text);
  } catch (error) {
    throw new Error(`--templateAnswers must be a JSON object such as '{"framework":"sklearn"}' or the path of a JSON file; got "${value}" (${(error as Error).message}).`);
  }
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    throw new Error(`--templateAnswers must be a JSON object (question name -> answer); got ${JSON.stringify(answers)}.`);
  }
  return answers as Record<string, unknown>;
}

function yeomanTemplate(tree: Tree, schema: ModelGeneratorSchema): YeomanTemplate | undefined {
  const generator = schema.template?.trim();
  if (!generator) {
    if (schema.templateAnswers !== undefined) throw new Error('--templateAnswers answers the questions of a --template generator; pass --template <generator> too.');
    return undefined;
  }
  return { generator, answers: readAnswers(tree.root, schema.templateAnswers) };
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

  const yeoman = yeomanTemplate(tree, schema);

  return {
    name,
    directory,
    projectRoot,
    endpointType,
    instanceType,
    productionInstanceType,
    maxBatchSize,
    framework,
    ...(yeoman && { yeoman }),
    skipFormat: schema.skipFormat ?? false,
    offset: offsetFromRoot(projectRoot),
  };
}
