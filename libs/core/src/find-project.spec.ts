import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findModelProjectRoot, modelProjectRoots } from './find-project';

const ws = mkdtempSync(join(tmpdir(), 'ephenv-find-project-'));
afterAll(() => rmSync(ws, { recursive: true, force: true }));
const model = (root: string) => {
  mkdirSync(join(ws, root), { recursive: true });
  writeFileSync(join(ws, root, 'ephenv.json'), '{}');
};

describe('modelProjectRoots', () => {
  it('finds every folder holding an ephenv.json, a few levels deep, skipping hidden, built and fixture folders', () => {
    for (const root of ['apps/b-model', 'apps/a-model', 'services/team/fraud', 'a/b/c/deep', 'a/b/c/d/too-deep', 'node_modules/pkg', 'dist/apps/a-model', '.ephenv/x', 'libs/x/fixtures/m', 'apps/a-model/nested']) model(root);
    expect(modelProjectRoots(ws)).toEqual(['a/b/c/deep', 'apps/a-model', 'apps/a-model/nested', 'apps/b-model', 'services/team/fraud']);
  });

  it('finds a model by its folder name', () => {
    expect(findModelProjectRoot(ws, 'fraud')).toBe('services/team/fraud');
    expect(findModelProjectRoot(ws, 'a-model')).toBe('apps/a-model');
    expect(findModelProjectRoot(ws, 'nested')).toBe('apps/a-model/nested');
    expect(findModelProjectRoot(ws, 'pkg')).toBeUndefined();
  });
});
