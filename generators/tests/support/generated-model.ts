import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { venvsDir } from '@ephenv/core';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { modelGenerator } from '../../src/generators/model/generator';
import type { ModelGeneratorSchema } from '../../src/generators/model/schema';
import { REPO, git } from './checkout';

/**
 * A real git repository holding one model as `nx g @ephenv:model` generates it (the tree's files
 * written to disk as Nx flushes them, modes included), committed on main. It shares the
 * repository's virtualenvs. Returns the repository's root and the model's folder in it.
 */
export async function generatedModelRepo(schema: ModelGeneratorSchema): Promise<{ root: string; projectRoot: string }> {
  const root = mkdtempSync(join(tmpdir(), 'ephenv-generated-'));
  writeFileSync(join(root, 'nx.json'), '{ "defaultBase": "main" }\n');
  writeFileSync(join(root, '.gitignore'), '.ephenv\ndist\n__pycache__\n');
  mkdirSync(join(root, '.ephenv'));
  mkdirSync(venvsDir(REPO), { recursive: true });
  symlinkSync(venvsDir(REPO), venvsDir(root));
  const tree = createTreeWithEmptyWorkspace();
  await modelGenerator(tree, { ...schema, skipFormat: true });
  const projectRoot = `${schema.directory ?? 'apps'}/${schema.name}`;
  for (const change of tree.listChanges()) {
    if (!change.path.startsWith(`${projectRoot}/`) || change.type === 'DELETE' || !change.content) continue;
    const file = join(root, change.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, change.content);
    if (change.options?.mode) chmodSync(file, change.options.mode);
  }
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', `generated ${schema.name}`);
  return { root, projectRoot };
}
