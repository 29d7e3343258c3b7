import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, linesTo, stopProcess, type PreviewRecord } from '@ephenv/core';
import { deployPreview, destroyPreview } from '@ephenv/preview';
import { runEvaluate, type EvaluateContext, type LocalBaseline } from '../src';
import { makeGitWorkspace, type GitWorkspace } from './helpers/git-workspace';

const quiet = linesTo(() => undefined);

describe('evaluate: the PR preview against the base ref model, in a real git repository', () => {
  let ws: GitWorkspace;
  let base: string;
  const ref = (project: string) => ({ workspaceRoot: ws.root, project, projectRoot: `apps/${project}` });
  const deploy = (project: string): Promise<PreviewRecord> => {
    ws.train(project);
    return deployPreview(ref(project), { pr: '7' }, quiet);
  };
  /** Runs evaluate, remembering the baseline's server PID to check it is gone afterwards. */
  const evaluate = async (project: string, extra: Partial<EvaluateContext> = {}) => {
    const printed: string[] = [];
    let baseline: LocalBaseline | undefined;
    const outcome = await runEvaluate({ base }, { ...ref(project), logger: linesTo((t) => printed.push(t)), onBaseline: (b) => (baseline = b), ...extra });
    if (baseline) expect(isAlive(baseline.pid), `baseline server pid ${baseline.pid} still running`).toBe(false);
    expect(ws.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    return { ...outcome, printed: printed.join('\n'), baseline };
  };

  beforeAll(async () => {
    ws = await makeGitWorkspace();
    ws.addModel('iris');
    ws.git('add', '-A');
    ws.git('commit', '--quiet', '-m', 'the model on main');
    base = ws.git('rev-parse', 'HEAD').trim();
    ws.git('checkout', '--quiet', '-b', 'pr');
  }, 600_000);
  afterAll(async () => {
    for (const project of ['iris', 'iris-new', 'iris-example']) await destroyPreview(ref(project), {}, quiet);
    ws?.cleanup();
  });

  it('base = HEAD: 0 predictions changed, every metric equal, passes; results in evaluate.json and JUnit', async () => {
    await deploy('iris');
    const { success, report, printed, baseline, files } = await evaluate('iris');
    expect(report.error).toBeUndefined();
    expect(success).toBe(true);
    expect(baseline).toBeDefined();
    expect(report.baseline).toMatchObject({ kind: 'local', ref: base });
    expect(report.diff).toMatchObject({ total: 150, changed: 0, share: 0, top: [], transitions: [], fixed: 0, broke: 0 });
    expect(report.metrics.map((m) => m.metric)).toEqual(['accuracy', 'balanced_accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'log_loss']);
    for (const m of report.metrics) expect(m.change, m.metric).toBe(0);
    expect(report.metrics.find((m) => m.metric === 'accuracy')!.pr).toBeGreaterThan(0.95);
    expect(report.confusionMatrix?.pr.matrix.flat().reduce((a, b) => a + b, 0)).toBe(150);
    expect(printed).toMatch(/✓\s+accuracy\s+0\.\d+\s+0\.\d+\s+0\s+>= base - 0\.02/);
    expect(printed).toContain('changed predictions: 0 of 150 (0.0%)');
    expect(JSON.parse(readFileSync(files.json, 'utf8')).status).toBe('pass');
    expect(readFileSync(files.junit, 'utf8')).toMatch(/<testsuite name="evaluate" tests="6" failures="0" errors="0"/);
  }, 600_000);

  it('a commit that makes the model worse fails, naming the metric, both values, the change and the threshold', async () => {
    const train = join(ws.root, 'apps/iris/train.py');
    const original = readFileSync(train, 'utf8');
    // Drops the petal measurements: the model learns from the sepals alone.
    expect(original).toContain('    model.fit(x_train, y_train)');
    writeFileSync(train, original.replace('    model.fit(x_train, y_train)', '    x_train[:, 2:] = 0\n    model.fit(x_train, y_train)'));
    ws.git('commit', '--quiet', '-am', 'train on the sepals only');
    await deploy('iris');
    const { success, report, printed, files } = await evaluate('iris');
    expect(success).toBe(false);
    expect(report.status).toBe('fail');
    const accuracy = report.metrics.find((m) => m.metric === 'accuracy')!;
    expect(accuracy.status).toBe('fail');
    expect(accuracy.pr).toBeLessThan(accuracy.base! - 0.02);
    expect(report.diff!.changed).toBeGreaterThan(0);
    expect(report.diff!.broke).toBeGreaterThan(report.diff!.fixed!);
    expect(report.diff!.top.length).toBeGreaterThan(0);
    expect(report.diff!.top[0]).toEqual(expect.objectContaining({ line: expect.any(Number), input: expect.objectContaining({ petal_length: expect.any(Number) }), expected: expect.any(String), base: expect.any(String), pr: expect.any(String) }));
    const fmt = (v: number) => String(Number(v.toFixed(4)));
    expect(printed).toContain(`✗ accuracy: base ${fmt(accuracy.base!)}, PR ${fmt(accuracy.pr)}, change ${fmt(accuracy.change!)}; accuracy ${accuracy.pr.toPrecision(6).replace(/\.?0+$/, '')} is not >= `);
    expect(printed).toMatch(/\(>= base - 0\.02\)/);
    expect(readFileSync(files.junit, 'utf8')).toMatch(/<failure message="accuracy [\d.]+ is not &gt;= [\d.]+ \(&gt;= base - 0\.02\)" type="threshold">/);
    writeFileSync(train, original);
  }, 600_000);

  it('a commit that changes nothing in the model passes with 0 changed predictions', async () => {
    writeFileSync(join(ws.root, 'apps/iris/README.md'), `${readFileSync(join(ws.root, 'apps/iris/README.md'), 'utf8')}\nA note.\n`);
    ws.git('commit', '--quiet', '-am', 'back to all features; a README note');
    await deploy('iris');
    const { success, report } = await evaluate('iris');
    expect(success).toBe(true);
    expect(report.diff).toMatchObject({ changed: 0, total: 150 });
    expect(report.metrics.every((m) => m.change === 0)).toBe(true);
  }, 600_000);

  it('a model absent on the base is evaluated alone, with its thresholds only', async () => {
    ws.addModel('iris-new');
    ws.git('add', '-A');
    ws.git('commit', '--quiet', '-m', 'a new model');
    await deploy('iris-new');
    const { success, report, printed, baseline } = await evaluate('iris-new');
    expect(baseline).toBeUndefined();
    expect(success).toBe(true);
    expect(report.baseline.kind).toBe('absent');
    expect(report.diff).toBeUndefined();
    const f1 = report.metrics.find((m) => m.metric === 'f1_macro')!;
    expect(f1).toMatchObject({ status: 'pass', checks: [{ rule: '>= 0.9', passed: true }] });
    expect(f1.base).toBeUndefined();
    // minAbsoluteChange needs a base: not judged.
    expect(report.metrics.find((m) => m.metric === 'accuracy')!.checks).toEqual([]);
    expect(printed).toContain(`no iris-new on ${base}: evaluated alone, thresholds only`);
  }, 600_000);

  it('a preview killed in the middle of the evaluation: a clear error, and the baseline server is stopped', async () => {
    const record = await deploy('iris');
    let killedAt = 0;
    const { success, report, baseline, files } = await evaluate('iris', {
      onPrBatch: (done) => {
        if (done === 2 && !killedAt) {
          killedAt = done;
          void stopProcess(record.processes!.gateway.pid, 0);
          void stopProcess(record.processes!.model.pid, 0);
        }
      },
    });
    expect(killedAt).toBe(2);
    expect(baseline).toBeDefined();
    expect(isAlive(baseline!.pid)).toBe(false);
    expect(success).toBe(false);
    expect(report.status).toBe('error');
    expect(report.error).toMatch(new RegExp(`the PR preview at ${record.url} stopped answering during the evaluation \\(batch \\d+ of 10 \\(data lines \\d+-\\d+\\): (ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|other side closed)`));
    expect(readFileSync(files.junit, 'utf8')).toMatch(/<error message="the PR preview at/);
    expect(existsSync(files.json)).toBe(true);
  }, 600_000);

  it("the example's own evaluate section (train.py's held-out split), base = HEAD: 0 of 60 changed, every metric equal, passes", async () => {
    ws.addModel('iris-example', { exampleSection: true });
    ws.git('add', '-A');
    ws.git('commit', '--quiet', '-m', 'the example model as generated');
    await deploy('iris-example');
    let baseline: LocalBaseline | undefined;
    const { success, report } = await runEvaluate({ base: 'HEAD' }, { ...ref('iris-example'), logger: quiet, onBaseline: (b) => (baseline = b) });
    expect(report.error).toBeUndefined();
    expect(success).toBe(true);
    expect(report.data).toMatchObject({ file: 'dist/apps/iris-example/model/evaluation.jsonl', rows: 60 });
    expect(report.diff).toMatchObject({ total: 60, changed: 0 });
    expect(report.metrics.map((m) => m.metric)).toEqual(['accuracy', 'balanced_accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'log_loss']);
    for (const m of report.metrics) expect(m.change, m.metric).toBe(0);
    expect(report.metrics.filter((m) => m.status === 'pass').map((m) => m.metric)).toEqual(['accuracy', 'f1_macro', 'log_loss']);
    expect(isAlive(baseline!.pid)).toBe(false);
  }, 600_000);

  it('without a preview: says how to start one', async () => {
    await destroyPreview(ref('iris'), {}, quiet);
    const { success, report } = await evaluate('iris');
    expect(success).toBe(false);
    expect(report.error).toBe('no preview running for iris; start one with: npx nx run iris:deploy-preview (then evaluate again), or pass --url');
  }, 120_000);
});
