import { createNodesFromFiles, type CreateNodes, type CreateNodesResult, type TargetConfiguration } from '@nx/devkit';
import { basename, dirname } from 'node:path';

export interface EphenvPluginOptions {
  /** Nx projects every model depends on: a change there affects every model. */
  sharedProjects?: string[];
}

/** Projects every model builds on: the Terraform module of its stack and the gateway in front of it. */
export const DEFAULT_SHARED_PROJECTS = ['preview-stack', 'gateway'];

const PYTHON_SOURCES = ['{projectRoot}/src/**/*', '{projectRoot}/requirements*.txt'];

/** The targets every model service gets from its ephenv.json. */
export function modelTargets(): Record<string, TargetConfiguration> {
  return {
    train: {
      executor: '@ephenv/nx:train',
      cache: true,
      inputs: ['{projectRoot}/train.py', '{projectRoot}/requirements*.txt', '{projectRoot}/data/**/*'],
      outputs: ['{workspaceRoot}/dist/{projectRoot}/model'],
      metadata: { description: 'Train the model (cached); the artifact goes to dist/{projectRoot}/model.' },
    },
    test: {
      executor: '@ephenv/nx:pytest',
      cache: true,
      dependsOn: ['train'],
      inputs: [...PYTHON_SOURCES, '{projectRoot}/tests/**/*', '{projectRoot}/schemas/**/*', '{projectRoot}/train.py'],
      outputs: ['{workspaceRoot}/dist/test-results/{projectName}.xml'],
      metadata: { description: "pytest of the model server, in the model's virtualenv." },
    },
    'infra-validate': {
      executor: '@ephenv/nx:infra-validate',
      cache: true,
      inputs: ['{projectRoot}/infra/**/*.tf', '{workspaceRoot}/libs/infra/preview-stack/**/*.tf', { env: 'EPHENV_TF_PROVIDER_MIRROR' }],
      metadata: { description: 'terraform fmt -check and terraform validate of the preview stack, offline.' },
    },
    'deploy-preview': {
      executor: '@ephenv/nx:deploy-preview',
      cache: false,
      dependsOn: ['train'],
      metadata: { description: 'Start a preview: local processes by default, an AWS stack with --provider=aws. Prints the URL.' },
    },
    'destroy-preview': {
      executor: '@ephenv/nx:destroy-preview',
      cache: false,
      metadata: { description: 'Remove everything the preview created.' },
    },
    'validate-contract': {
      executor: '@ephenv/nx:validate',
      options: { parts: ['static'] },
      cache: true,
      inputs: ['{projectRoot}/ephenv.json', '{projectRoot}/schemas/**/*'],
      outputs: ['{workspaceRoot}/dist/ephenv/{projectName}/validate.json', '{workspaceRoot}/dist/ephenv/{projectName}/validate.junit.xml'],
      metadata: { description: 'The static contract checks alone (schemas compile, examples valid): cached.' },
    },
    validate: {
      executor: '@ephenv/nx:validate',
      cache: false,
      metadata: { description: 'Contract, compatibility with the base branch, and live checks of the running preview.' },
    },
    evaluate: {
      executor: '@ephenv/nx:evaluate',
      cache: false,
      metadata: { description: "The running preview against the base branch's model on ephenv.json's evaluation set: metrics, thresholds, changed predictions." },
    },
    benchmark: {
      executor: '@ephenv/nx:benchmark',
      cache: false,
      metadata: { description: "Load test of the running preview: ephenv.json's k6 scenario and thresholds." },
    },
    logs: {
      executor: '@ephenv/nx:logs',
      cache: false,
      metadata: { description: "The preview's gateway and model logs." },
    },
  };
}

function modelProject(configFile: string, options: EphenvPluginOptions | undefined): CreateNodesResult {
  const root = dirname(configFile);
  return {
    projects: {
      [root]: {
        root,
        name: basename(root),
        projectType: 'application',
        tags: ['type:model'],
        implicitDependencies: options?.sharedProjects ?? DEFAULT_SHARED_PROJECTS,
        targets: modelTargets(),
      },
    },
  };
}

/** Every folder holding an ephenv.json is a model service with the inferred ephenv targets. */
export const createNodes: CreateNodes<EphenvPluginOptions> = [
  '**/ephenv.json',
  (configFiles, options, context) =>
    createNodesFromFiles((configFile, opts) => modelProject(configFile, opts), configFiles, options, context),
];
