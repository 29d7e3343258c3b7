import type { CreateNodesContext } from '@nx/devkit';
import { describe, expect, it } from 'vitest';
import { createNodes, DEFAULT_SHARED_PROJECTS } from './create-nodes';

const context: CreateNodesContext = { nxJsonConfiguration: {}, workspaceRoot: '/ws' };

async function infer(files: string[], options?: { sharedProjects?: string[] }) {
  const [glob, fn] = createNodes;
  return { glob, results: await fn(files, options, context) };
}

describe('createNodes', () => {
  it('matches every ephenv.json, and only those', async () => {
    const { glob } = await infer([]);
    expect(glob).toBe('**/ephenv.json');
  });

  it('makes each folder with an ephenv.json a model project with the ephenv targets', async () => {
    const { results } = await infer(['apps/fraud-detector/ephenv.json', 'models/churn/ephenv.json']);
    expect(results.map(([file]) => file)).toEqual(['apps/fraud-detector/ephenv.json', 'models/churn/ephenv.json']);
    const project = results[0][1].projects?.['apps/fraud-detector'];
    expect(project?.name).toBe('fraud-detector');
    expect(project?.projectType).toBe('application');
    expect(Object.keys(project?.targets ?? {})).toEqual(['train', 'test', 'infra-validate', 'deploy-preview', 'destroy-preview', 'validate-contract', 'validate', 'evaluate', 'benchmark', 'logs']);
    expect(results[1][1].projects?.['models/churn']?.name).toBe('churn');
  });

  it('caches train and test with their outputs, never deploy/destroy', async () => {
    const { results } = await infer(['apps/m/ephenv.json']);
    const targets = results[0][1].projects?.['apps/m']?.targets ?? {};
    expect(targets.train).toMatchObject({ executor: '@ephenv/nx:train', cache: true, outputs: ['{workspaceRoot}/dist/{projectRoot}/model'] });
    expect(targets.train.inputs).toContain('{projectRoot}/train.py');
    expect(targets.test).toMatchObject({ executor: '@ephenv/nx:pytest', cache: true, dependsOn: ['train'] });
    expect(targets['infra-validate'].inputs).toContain('{workspaceRoot}/libs/infra/preview-stack/**/*.tf');
    expect(targets['deploy-preview']).toMatchObject({ cache: false, dependsOn: ['train'] });
    expect(targets['destroy-preview'].cache).toBe(false);
    expect(targets['validate-contract']).toMatchObject({ cache: true, options: { parts: ['static'] } });
    expect(targets['validate-contract'].inputs).toEqual(['{projectRoot}/ephenv.json', '{projectRoot}/schemas/**/*']);
    expect(targets.validate.cache).toBe(false);
    expect(targets.benchmark).toMatchObject({ executor: '@ephenv/nx:benchmark', cache: false });
  });

  it('makes every model depend on the shared stack module and gateway', async () => {
    const { results } = await infer(['apps/m/ephenv.json']);
    expect(results[0][1].projects?.['apps/m']?.implicitDependencies).toEqual(DEFAULT_SHARED_PROJECTS);
    expect(DEFAULT_SHARED_PROJECTS).toContain('preview-stack');
    const custom = await infer(['apps/m/ephenv.json'], { sharedProjects: ['infra'] });
    expect(custom.results[0][1].projects?.['apps/m']?.implicitDependencies).toEqual(['infra']);
  });
});
