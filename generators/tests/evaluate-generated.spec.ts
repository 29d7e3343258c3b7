import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { ensureVenv, isAlive, modelArtifactDir, venvsDir } from '@ephenv/core';
import { runEvaluate, type LocalBaseline } from '@ephenv/evaluate';
import { deployPreview, destroyPreview } from '@ephenv/preview';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelGenerator } from '../src/generators/model/generator';
import { REPO, git } from './support/checkout';

const MODEL = 'churn-model';
const ROOT = `apps/${MODEL}`;
const quiet = () => undefined;

/** `nx g @ephenv:model churn-model` written into a real git repository, as Nx's tree would flush it. */
async function generateInto(root: string): Promise<void> {
  const tree = createTreeWithEmptyWorkspace();
  await modelGenerator(tree, { name: MODEL, skipFormat: true });
  for (const change of tree.listChanges()) {
    if (!change.path.startsWith(`${ROOT}/`) || change.type === 'DELETE' || !change.content) continue;
    const file = join(root, change.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, change.content);
    if (change.options?.mode) chmodSync(file, change.options.mode);
  }
}

describe('a generated model evaluated against itself', () => {
  let root: string;
  const ref = () => ({ workspaceRoot: root, project: MODEL, projectRoot: ROOT });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ephenv-gen-eval-'));
    writeFileSync(join(root, 'nx.json'), '{ "defaultBase": "main" }\n');
    writeFileSync(join(root, '.gitignore'), '.ephenv\ndist\n__pycache__\n');
    mkdirSync(join(root, '.ephenv'));
    mkdirSync(venvsDir(REPO), { recursive: true });
    symlinkSync(venvsDir(REPO), venvsDir(root));
    await generateInto(root);
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'generated model');
  }, 600_000);
  afterAll(async () => {
    if (!root) return;
    await destroyPreview(ref(), {}, quiet);
    rmSync(root, { recursive: true, force: true });
  });

  it('train.py writes the same held-out iris split every run, one labelled request per line', async () => {
    const { python } = await ensureVenv(root, join(root, ROOT));
    const run = (out: string) => {
      execFileSync(python, [join(root, ROOT, 'train.py'), '--output', out], { stdio: 'ignore' });
      return readFileSync(join(out, 'evaluation.jsonl'), 'utf8');
    };
    const first = run(modelArtifactDir(root, ROOT));
    expect(run(join(root, 'dist', 'again'))).toBe(first);
    const rows = first.trim().split('\n').map((line) => JSON.parse(line));
    expect(rows).toHaveLength(60);
    expect(Object.keys(rows[0].request)).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    // Stratified: 20 of each class.
    const perClass: Record<string, number> = {};
    for (const { expected } of rows) perClass[expected] = (perClass[expected] ?? 0) + 1;
    expect(perClass).toEqual({ setosa: 20, versicolor: 20, virginica: 20 });
  }, 600_000);

  it('its preview against its own base (HEAD): 0 changed predictions, every metric equal, every threshold met', async () => {
    await deployPreview(ref(), { pr: '3' }, quiet);
    let baseline: LocalBaseline | undefined;
    const printed: string[] = [];
    const { success, report } = await runEvaluate({ base: 'HEAD' }, { ...ref(), log: (t) => printed.push(t), onBaseline: (b) => (baseline = b) });
    expect(report.error).toBeUndefined();
    expect(baseline, 'the base model was served locally').toBeDefined();
    expect(isAlive(baseline!.pid), `baseline server pid ${baseline!.pid} still running`).toBe(false);
    expect(report.baseline).toMatchObject({ kind: 'local', ref: 'HEAD' });
    expect(report.diff).toMatchObject({ total: 60, changed: 0, share: 0, fixed: 0, broke: 0 });
    for (const metric of report.metrics) expect(metric.change, metric.metric).toBe(0);
    const judged = report.metrics.filter((m) => m.checks.length > 0).map((m) => m.metric);
    expect(judged).toEqual(['accuracy', 'f1_macro', 'log_loss']);
    expect(report.metrics.flatMap((m) => m.checks).every((c) => c.passed)).toBe(true);
    expect(report.metrics.find((m) => m.metric === 'accuracy')!.pr).toBeGreaterThan(0.9);
    expect(success).toBe(true);
    expect(printed.join('\n')).toContain('changed predictions: 0 of 60 (0.0%)');
    expect(git(root, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  }, 600_000);
});
