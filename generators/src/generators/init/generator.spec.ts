import { readJson, updateJson, writeJson, type Tree } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { initGenerator } from './generator';
import { IGNORED } from './lib/update-gitignore';

describe('init generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('registers @ephenv/nx in nx.json once, keeping other plugins; its models depend on the copied preview-stack', async () => {
    updateJson(tree, 'nx.json', (json) => ({ ...json, plugins: [{ plugin: '@nx/js/typescript', options: {} }] }));
    await initGenerator(tree, { skipFormat: true });
    await initGenerator(tree, { skipFormat: true });
    expect(readJson(tree, 'nx.json').plugins).toEqual([
      { plugin: '@nx/js/typescript', options: {} },
      { plugin: '@ephenv/nx', options: { sharedProjects: ['preview-stack'] } },
    ]);
  });

  it('registers the plugin by its path alias in a workspace started from the template', async () => {
    writeJson(tree, 'tsconfig.base.json', { compilerOptions: { paths: { '@ephenv': ['generators/src/index.ts'] } } });
    await initGenerator(tree, { skipFormat: true });
    expect(readJson(tree, 'nx.json').plugins).toEqual(['@ephenv']);
  });

  it('copies the Terraform modules into libs/infra once, and keeps a team\'s edited module', async () => {
    await initGenerator(tree, { skipFormat: true });
    for (const file of ['preview-stack/main.tf', 'preview-stack/examples/root/main.tf', 'preview-stack/project.json', 'bootstrap/policy.tf']) {
      expect(tree.read(`libs/infra/${file}`, 'utf-8'), file).toBe(readFileSync(join(__dirname, '../../../../libs/infra', file), 'utf8'));
    }
    tree.write('libs/infra/preview-stack/main.tf', '# ours\n');
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('libs/infra/preview-stack/main.tf', 'utf-8')).toBe('# ours\n');
  });

  it('accepts the plugin already registered in object form', async () => {
    updateJson(tree, 'nx.json', (json) => ({ ...json, plugins: [{ plugin: '@ephenv', options: { sharedProjects: [] } }] }));
    await initGenerator(tree, { skipFormat: true });
    expect(readJson(tree, 'nx.json').plugins).toEqual([{ plugin: '@ephenv', options: { sharedProjects: [] } }]);
  });

  it('adds the missing .gitignore entries after what is there', async () => {
    tree.write('.gitignore', 'node_modules\n/dist/\n');
    await initGenerator(tree, { skipFormat: true });
    const lines = (tree.read('.gitignore', 'utf-8') ?? '').split('\n');
    expect(lines.slice(0, 2)).toEqual(['node_modules', '/dist/']);
    for (const entry of IGNORED.filter((e) => e !== 'dist/')) expect(lines).toContain(entry);
    expect(lines).not.toContain('dist/');
  });

  it('writes the PR and reaper workflows when missing and keeps the team\'s own', async () => {
    tree.write('.github/workflows/reaper.yml', 'name: our own reaper\n');
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('.github/workflows/reaper.yml', 'utf-8')).toBe('name: our own reaper\n');
    const pr = tree.read('.github/workflows/ephemeral-env.yml', 'utf-8') ?? '';
    expect(pr).toContain('pull_request:');
    expect(pr).not.toContain('<%');
  });

  it('writes the preview policy with the schema\'s defaults when missing, and keeps the team\'s own', async () => {
    await initGenerator(tree, { skipFormat: true });
    expect(readJson(tree, 'ephenv.policy.json')).toEqual({
      allowedInstanceTypes: ['ml.t2.medium', 'ml.t3.medium', 'ml.m5.large', 'ml.c5.large'],
      maxInstanceCount: 2,
      maxServerlessMemorySizeMb: 4096,
      maxServerlessConcurrency: 10,
      maxTtlHours: 168,
    });
    tree.write('ephenv.policy.json', '{ "maxTtlHours": 24 }\n');
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('ephenv.policy.json', 'utf-8')).toBe('{ "maxTtlHours": 24 }\n');
  });

  it('points the policy at its schema where the workspace has it', async () => {
    tree.write('libs/core/ephenv.policy.schema.json', '{}');
    await initGenerator(tree, { skipFormat: true });
    expect(readJson(tree, 'ephenv.policy.json').$schema).toBe('./libs/core/ephenv.policy.schema.json');
  });

  it('is idempotent: a second run changes nothing', async () => {
    await initGenerator(tree, { skipFormat: true });
    const files = ['nx.json', '.gitignore', '.github/workflows/ephemeral-env.yml', '.github/workflows/reaper.yml', 'ephenv.policy.json'];
    const first = files.map((f) => tree.read(f, 'utf-8'));
    await initGenerator(tree, { skipFormat: true });
    expect(files.map((f) => tree.read(f, 'utf-8'))).toEqual(first);
  });
});
