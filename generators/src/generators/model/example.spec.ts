import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initGenerator } from '../init/generator';
import { modelGenerator } from './generator';

const REPO = resolve(__dirname, '..', '..', '..', '..');
const EXAMPLE = 'apps/iris-classifier';
const LOCAL_ONLY = /(^|\/)(__pycache__|\.pytest_cache|\.terraform)(\/|$)|\.terraform\.lock\.hcl$/;

function filesOnDisk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesOnDisk(path) : [relative(join(REPO, EXAMPLE), path)];
  });
}

describe('the example model', () => {
  it('is exactly what `nx g @ephenv:model iris-classifier` generates', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await modelGenerator(tree, { name: 'iris-classifier' });
    const generated = tree
      .listChanges()
      .filter((c) => c.path.startsWith(`${EXAMPLE}/`) && c.type !== 'DELETE')
      .map((c) => c.path.slice(EXAMPLE.length + 1))
      .sort();
    const onDisk = filesOnDisk(join(REPO, EXAMPLE))
      .filter((f) => !LOCAL_ONLY.test(f))
      .sort();
    expect(onDisk).toEqual(generated);
    for (const file of generated) {
      expect(readFileSync(join(REPO, EXAMPLE, file), 'utf8'), file).toBe(tree.read(`${EXAMPLE}/${file}`, 'utf-8'));
    }
    expect(statSync(join(REPO, EXAMPLE, 'src', 'serve')).mode & 0o111).not.toBe(0);
  });

  it("the workspace's own workflows are exactly what `init` writes", async () => {
    const tree = createTreeWithEmptyWorkspace();
    await initGenerator(tree, {});
    for (const name of ['ephemeral-env.yml', 'reaper.yml', 'ci.yml']) {
      const path = `.github/workflows/${name}`;
      expect(readFileSync(join(REPO, path), 'utf8'), path).toBe(tree.read(path, 'utf-8'));
    }
  });

  it("the workspace's preview policy is exactly what `init` writes", async () => {
    const tree = createTreeWithEmptyWorkspace();
    const schema = 'libs/core/ephenv.policy.schema.json';
    tree.write(schema, readFileSync(join(REPO, schema)));
    await initGenerator(tree, {});
    expect(readFileSync(join(REPO, 'ephenv.policy.json'), 'utf8')).toBe(tree.read('ephenv.policy.json', 'utf-8'));
  });
});
