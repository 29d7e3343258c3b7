/**
 * evaluate's own overhead against the time spent waiting on the model, through a local preview
 * of the example model, in batches:
 *
 * 1. per row: 2,500, 5,000 and 10,000 rows, several runs each (median and range): rows/s, the
 *    time in ephenv's own code (request bodies, reading answers, metrics, diff) and its share of
 *    the total, and the process's CPU time (ephenv's code and the HTTP client);
 * 2. fixed, once per evaluation whatever its size: `ephenv evaluate` as a process on a 100-row
 *    set, split into process start and module load, and the run outside the calls (config and
 *    its JSON Schema, data file, results files).
 *
 * Run: npm run bench:evaluate [-- <batchSize> <concurrency> <runs>]
 */
import { ensureVenv, type EvaluateConfig, linesTo, modelArtifactDir, resultFile, venvsDir, type EvaluateReport } from '@ephenv/core';
import { deployPreview, destroyPreview } from '@ephenv/preview';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { diffPredictions, predict, type EvalRow } from '../src';
import { score } from '../src/score';

const REPO = resolve(__dirname, '..', '..', '..');
const batchSize = Number(process.argv[2] ?? 100);
const concurrency = Number(process.argv[3] ?? 4);
const runs = Number(process.argv[4] ?? 5);
const SIZES = [2_500, 5_000, 10_000];
const FIXED_ROWS = 100;
const CLASSES = ['setosa', 'versicolor', 'virginica'];
const PROJECT = 'iris-bench';

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

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** "median [min-max]" */
const stat = (xs: number[], digits = 0, unit = '') => `${median(xs).toFixed(digits)}${unit} [${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}]`;
const row = (cells: string[], widths: number[]) => cells.map((c, i) => c.padEnd(widths[i])).join('');

/** A git repository (main has no model: the model is evaluated alone) holding the example model, trained. */
async function makeWorkspace(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'ephenv-bench-eval-'));
  const venv = await ensureVenv(REPO, join(REPO, 'apps', 'iris-classifier'));
  writeFileSync(join(root, 'nx.json'), '{ "defaultBase": "main" }\n');
  mkdirSync(join(root, '.ephenv'), { recursive: true });
  symlinkSync(venvsDir(REPO), venvsDir(root));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  git('init', '--quiet', '--initial-branch=main');
  git('-c', 'user.email=bench@ephenv.dev', '-c', 'user.name=bench', 'commit', '--quiet', '--allow-empty', '-m', 'empty main');
  const dir = join(root, 'apps', PROJECT);
  cpSync(join(REPO, 'apps', 'iris-classifier'), dir, { recursive: true, filter: (src) => !src.includes('__pycache__') });
  const config = JSON.parse(readFileSync(join(dir, 'ephenv.json'), 'utf8'));
  const evaluate = { data: { file: 'data/bench.jsonl' }, task: 'classification', batchSize, concurrency };
  writeFileSync(join(dir, 'ephenv.json'), JSON.stringify({ ...config, name: PROJECT, evaluate }, null, 2));
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'data', 'bench.jsonl'), rows(FIXED_ROWS).map((r) => JSON.stringify({ request: r.instance, expected: r.expected })).join('\n') + '\n');
  execFileSync(venv.python, [join(dir, 'train.py'), '--output', modelArtifactDir(root, `apps/${PROJECT}`)], { stdio: 'ignore' });
  return root;
}

async function perRow(url: string, token: string): Promise<void> {
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
  const endpoint = { role: 'PR preview', url, token };
  const once = async (data: EvalRow[]) => {
    const c = process.cpuUsage();
    const run = await predict(endpoint, data, config);
    const t = performance.now();
    score(config, data, run.predictions);
    diffPredictions('classification', data, run.predictions, run.predictions, config.tolerance);
    const after = performance.now() - t;
    const cpu = process.cpuUsage(c);
    return { wall: run.timing.totalMs + after, ephenv: run.timing.ephenvMs + after, cpu: (cpu.user + cpu.system) / 1000, requests: run.timing.requests };
  };
  // Warm-up, so the first size does not measure the JIT's and the model server's first calls.
  await once(rows(SIZES[0]));
  const widths = [8, 10, 20, 22, 20, 17, 22, 20];
  console.log(`\n1. Per row: ${runs} runs per size, median [min-max]`);
  console.log(row(['rows', 'requests', 'wall ms', 'rows/s', 'ephenv ms', 'ephenv µs/row', 'ephenv share', 'process CPU share'], widths));
  for (const n of SIZES) {
    const results: Awaited<ReturnType<typeof once>>[] = [];
    // Fresh rows each run: predict keeps a data set's request bodies for the next model it calls.
    for (let i = 0; i < runs; i++) results.push(await once(rows(n)));
    const wall = results.map((r) => r.wall);
    console.log(
      row(
        [
          String(n),
          String(results[0].requests),
          stat(wall),
          stat(wall.map((w) => (n / w) * 1000)),
          stat(results.map((r) => r.ephenv), 1),
          stat(results.map((r) => (r.ephenv / n) * 1000), 1),
          stat(results.map((r) => (r.ephenv / r.wall) * 100), 2, '%'),
          stat(results.map((r) => (r.cpu / r.wall) * 100), 1, '%'),
        ],
        widths,
      ),
    );
  }
  console.log('ephenv ms: wall time inside ephenv code (bodies, answers, metrics, diff); it grows when other processes (here also the preview itself) take the CPU mid-step.');
  console.log('ephenv share = ephenv ms / wall ms per run; the goal is under 5%. process CPU: all CPU of this process (ephenv code plus the HTTP client) / wall.');
}

/** `ephenv evaluate` as a user runs it, on a small set: what an evaluation costs whatever its size. */
function fixed(root: string, url: string, token: string): void {
  const bin = join(REPO, 'generators', 'bin', 'ephenv.js');
  const results = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    // As a user runs it: the CLI finds tsconfig.base.json itself (npm's relative SWC_NODE_PROJECT is this bench's).
    const { SWC_NODE_PROJECT: _, ...env } = process.env;
    const cli = spawnSync(process.execPath, [bin, 'evaluate', PROJECT, '--url', url], { cwd: root, env: { ...env, EPHENV_TOKEN: token }, encoding: 'utf8' });
    const wall = performance.now() - t;
    if (cli.status !== 0) throw new Error(`ephenv evaluate failed (exit ${cli.status}):\n${cli.stdout}\n${cli.stderr}`);
    const report = JSON.parse(readFileSync(resultFile(root, PROJECT, 'evaluate'), 'utf8')) as EvaluateReport;
    results.push({ wall, start: wall - report.durationMs, outside: report.durationMs - report.timing!.totalMs, calls: report.timing!.totalMs });
  }
  const widths = [24, 30, 30, 22];
  console.log(`\n2. Fixed, once per evaluation: ephenv evaluate ${PROJECT} --url <preview> on ${FIXED_ROWS} rows, ${runs} runs, median [min-max] ms`);
  console.log(row(['process wall', 'process start + module load', 'run outside the calls', 'calling the preview'], widths));
  console.log(row([stat(results.map((r) => r.wall)), stat(results.map((r) => r.start)), stat(results.map((r) => r.outside)), stat(results.map((r) => r.calls))], widths));
  console.log('process start + module load: node, the TypeScript sources compiled on load by SWC (this workspace ships sources; the published package ships JavaScript), the CLI.');
  console.log('run outside the calls: ephenv.json and its JSON Schema, the data file, metrics, results files, the table. None of it grows with the rows beyond reading them.');
}

async function main() {
  const root = await makeWorkspace();
  const ref = { workspaceRoot: root, project: PROJECT, projectRoot: `apps/${PROJECT}` };
  const quiet = linesTo(() => undefined);
  try {
    const record = await deployPreview(ref, { pr: 'local' }, quiet);
    console.log(`evaluate through a local preview of ${PROJECT} (gateway ${record.url}), batch ${batchSize}, concurrency ${concurrency}`);
    console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores: a machine shared with other test runs inflates wall times`);
    await perRow(record.url, record.token);
    fixed(root, record.url, record.token);
    console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    await destroyPreview(ref, {}, quiet);
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
