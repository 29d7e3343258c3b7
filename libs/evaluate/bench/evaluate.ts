/**
 * 10,000 evaluation rows (and 2,500 and 5,000, to see the growth) through a local preview of the
 * example model, in batches: rows/s, the time spent in ephenv's own code (request bodies, reading
 * answers, metrics, diff) against the wall time, and that overhead's share of the total.
 * Run: npm run bench:evaluate [-- <batchSize> <concurrency>]
 */
import { ensureVenv, type EvaluateConfig, linesTo, loadModelConfig, modelArtifactDir, venvsDir } from '@ephenv/core';
import { deployPreview, destroyPreview } from '@ephenv/preview';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { diffPredictions, predict, type EvalRow } from '../src';
import { score } from '../src/score';

const REPO = resolve(__dirname, '..', '..', '..');
const batchSize = Number(process.argv[2] ?? 100);
const concurrency = Number(process.argv[3] ?? 4);
const CLASSES = ['setosa', 'versicolor', 'virginica'];

/** Deterministic iris-like measurements in the ranges the input schema accepts. */
function rows(n: number): EvalRow[] {
  let s = 42;
  const r = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, (_, i) => ({
    line: i + 1,
    instance: { sepal_length: 4 + r() * 4, sepal_width: 2 + r() * 2.5, petal_length: 1 + r() * 6, petal_width: 0.1 + r() * 2.4 },
    expected: CLASSES[Math.floor(r() * 3)],
  }));
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'ephenv-bench-eval-'));
  const project = 'iris-bench';
  const ref = { workspaceRoot: root, project, projectRoot: `apps/${project}` };
  const quiet = linesTo(() => undefined);
  try {
    writeFileSync(join(root, 'nx.json'), '{}\n');
    const venv = await ensureVenv(REPO, join(REPO, 'apps', 'iris-classifier'));
    mkdirSync(join(root, '.ephenv'), { recursive: true });
    symlinkSync(venvsDir(REPO), venvsDir(root));
    cpSync(join(REPO, 'apps', 'iris-classifier'), join(root, ref.projectRoot), { recursive: true, filter: (src) => !src.includes('__pycache__') });
    execFileSync(venv.python, [join(root, ref.projectRoot, 'train.py'), '--output', modelArtifactDir(root, ref.projectRoot)], { stdio: 'ignore' });
    const record = await deployPreview(ref, { pr: 'local' }, quiet);
    const base = loadModelConfig(root, ref.projectRoot);
    const config: EvaluateConfig = {
      data: { file: '', format: 'jsonl', label: 'label', instancesKey: 'instances' },
      task: 'classification',
      response: { predictionsKey: 'predictions', labelKey: 'label', probabilitiesKey: 'probabilities', valueKey: 'value' },
      metrics: ['accuracy', 'balanced_accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'log_loss'],
      batchSize,
      concurrency,
      tolerance: 1e-6,
      thresholds: {},
    };
    console.log(`evaluate through a local preview of ${base.name} (gateway ${record.url}), batch ${batchSize}, concurrency ${concurrency}`);
    console.log('rows    requests  wall ms  rows/s   ephenv ms  waiting ms  ephenv µs/row  ephenv share  node CPU (share of wall)');
    // One warm-up run so the first figures do not measure the model server's own warm-up.
    const warm = rows(500);
    const warmRun = await predict({ role: 'PR preview', url: record.url, token: record.token }, warm, config);
    score(config, warm, warmRun.predictions);
    diffPredictions('classification', warm, warmRun.predictions, warmRun.predictions, config.tolerance);
    for (const n of [2_500, 5_000, 10_000]) {
      const data = rows(n);
      const cpu0 = process.cpuUsage();
      const run = await predict({ role: 'PR preview', url: record.url, token: record.token }, data, config);
      const t = performance.now();
      score(config, data, run.predictions);
      diffPredictions('classification', data, run.predictions, run.predictions, config.tolerance);
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      const ephenv = run.timing.ephenvMs + (performance.now() - t);
      const wall = run.timing.totalMs + (performance.now() - t);
      const line = [
        String(n).padEnd(8),
        String(run.timing.requests).padEnd(10),
        wall.toFixed(0).padEnd(9),
        ((n / wall) * 1000).toFixed(0).padEnd(9),
        ephenv.toFixed(1).padEnd(11),
        (wall - ephenv).toFixed(0).padEnd(12),
        ((ephenv / n) * 1000).toFixed(1).padEnd(15),
        `${((ephenv / wall) * 100).toFixed(2)}%`.padEnd(14),
        `${cpuMs.toFixed(0)} ms (${((cpuMs / wall) * 100).toFixed(1)}%)`,
      ];
      console.log(line.join(''));
    }
    console.log('ephenv share = wall time inside ephenv code (bodies, answers, metrics, diff) / wall time; the goal is under 5%.');
    console.log('node CPU = all CPU time of this process (ephenv code plus the HTTP client), independent of other load on the machine.');
    console.log('');
    console.log('Wall times inside ephenv code grow when other processes take the CPU. Figures from a shared machine: compare the ratios, not the absolute times.');
  } finally {
    await destroyPreview(ref, {}, quiet);
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
