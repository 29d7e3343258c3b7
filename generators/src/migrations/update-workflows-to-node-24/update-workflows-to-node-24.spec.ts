import { type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initGenerator } from '../../generators/init/generator';
import updateWorkflowsToNode24 from './update-workflows-to-node-24';

const setupNodeVersions = (text: string): unknown[] =>
  Object.values((parse(text) as { jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }> }).jobs)
    .flatMap((job) => job.steps ?? [])
    .filter((step) => step.uses?.startsWith('actions/setup-node@'))
    .map((step) => step.with?.['node-version']);

describe('migration update-workflows-to-node-24', () => {
  let tree: Tree;
  beforeEach(async () => {
    tree = createTreeWithEmptyWorkspace();
    await initGenerator(tree, { skipFormat: true });
  });

  it('turns the Node 20 of workflows an earlier init wrote into what init writes now, and changes nothing else', async () => {
    const current = tree.read('.github/workflows/ephemeral-env.yml', 'utf-8') ?? '';
    const older = current.replace(/node-version: '24'/g, "node-version: '20'");
    expect(setupNodeVersions(older).length).toBeGreaterThan(1);
    expect(setupNodeVersions(older).every((v) => v === '20')).toBe(true);
    tree.write('.github/workflows/ephemeral-env.yml', older);
    await updateWorkflowsToNode24(tree);
    expect(tree.read('.github/workflows/ephemeral-env.yml', 'utf-8')).toBe(current);
  });

  it('handles the spellings a team may have typed, keeping their comments', async () => {
    tree.write('.github/workflows/reaper.yml', 'jobs:\n  r:\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 20.x # pinned\n      - uses: actions/setup-node@v4\n        with:\n          node-version: "20"\n');
    await updateWorkflowsToNode24(tree);
    const text = tree.read('.github/workflows/reaper.yml', 'utf-8') ?? '';
    expect(setupNodeVersions(text)).toEqual(['24', '24']);
    expect(text).toContain('# pinned');
  });

  it("leaves a team's own workflows and other Node versions alone", async () => {
    const own = 'jobs:\n  a:\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n';
    tree.write('.github/workflows/release.yml', own);
    tree.write('.github/workflows/ci.yml', own.replace('20', '22'));
    await updateWorkflowsToNode24(tree);
    expect(tree.read('.github/workflows/release.yml', 'utf-8')).toBe(own);
    expect(tree.read('.github/workflows/ci.yml', 'utf-8')).toBe(own.replace('20', '22'));
  });

  it('is registered in migrations.json with an implementation that exists', () => {
    const root = join(__dirname, '..', '..', '..');
    const { generators } = JSON.parse(readFileSync(join(root, 'migrations.json'), 'utf8'));
    expect(generators['update-workflows-to-node-24'].implementation).toBe('./src/migrations/update-workflows-to-node-24/update-workflows-to-node-24');
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))['nx-migrations']).toEqual({ migrations: './migrations.json' });
  });
});
