import { ensureVenv, isAlive, linesTo, modelArtifactDir } from '@ephenv/core';
import { runEvaluate, type LocalBaseline } from '@ephenv/evaluate';
import { deployPreview, destroyPreview } from '@ephenv/preview';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from './support/checkout';
import { generatedModelRepo } from './support/generated-model';

const MODEL = 'churn-model';
const ROOT = `apps/${MODEL}`;
const quiet = linesTo(() => undefined);

describe('a generated model evaluated against itself', () => {
  let root: string;
  const ref = () => ({ workspaceRoot: root, project: MODEL, projectRoot: ROOT });

  beforeAll(async () => {
    ({ root } = await generatedModelRepo({ name: MODEL }));
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
    const { success, report } = await runEvaluate({ base: 'HEAD' }, { ...ref(), logger: linesTo((t) => printed.push(t)), onBaseline: (b) => (baseline = b) });
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
