import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { presetGenerator } from './generator';

describe('preset generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('registers the plugin, writes the workflows and scaffolds the model named by --model, not by the workspace name', async () => {
    await presetGenerator(tree, { name: 'acme-ml', model: 'fraud-detector', skipFormat: true });
    expect(readJson(tree, 'nx.json').plugins).toContainEqual({ plugin: '@ephenv/nx', options: { sharedProjects: ['preview-stack'] } });
    expect(tree.exists('.github/workflows/ephemeral-env.yml')).toBe(true);
    expect(readJson(tree, 'apps/fraud-detector/ephenv.json').name).toBe('fraud-detector');
    expect(tree.exists('apps/acme-ml')).toBe(false);
    expect(tree.read('apps/fraud-detector/infra/main.tf', 'utf-8')).toContain('source = "../../../libs/infra/preview-stack"');
  });

  it('starts with the example model when no --model is given', async () => {
    await presetGenerator(tree, { name: 'acme-ml', skipFormat: true });
    expect(readJson(tree, 'apps/iris-classifier/ephenv.json').name).toBe('iris-classifier');
  });

  it('changes nothing when run again', async () => {
    await presetGenerator(tree, { name: 'acme-ml', model: 'fraud-detector', skipFormat: true });
    const before = new Map(tree.listChanges().map((c) => [c.path, c.content?.toString()]));
    await presetGenerator(tree, { name: 'acme-ml', model: 'fraud-detector', skipFormat: true });
    expect(new Map(tree.listChanges().map((c) => [c.path, c.content?.toString()]))).toEqual(before);
  });

  it('rejects a model name the model generator rejects, naming the option', async () => {
    await expect(presetGenerator(tree, { model: 'Fraud_Detector', skipFormat: true })).rejects.toThrow(/Fraud_Detector/);
  });
});
