import { loadModelConfig, readRecord, stdioLogger, type EvaluateConfig, type Logger, type MetricName } from '@ephenv/core';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { existsOnBase } from './base-ref';
import { startLocalBaseline, type LocalBaseline } from './baseline';
import { readDataset } from './dataset';
import { diffPredictions } from './diff';
import { predict, type Endpoint, type Prediction } from './predict';
import { formatTable, writeResults } from './report';
import { score, type Scores } from './score';
import { greaterIsBetter, judge } from './thresholds';
import type { EvaluateReport, MetricRow } from './types';

export interface EvaluateOptions {
  /** Git ref of the baseline model. Default: NX_BASE, else nx.json defaultBase, else main. */
  base?: string;
  /** Compare against this running endpoint instead of training the base's model; token from EPHENV_BASELINE_TOKEN. */
  baselineUrl?: string;
  /** The PR's preview URL instead of the recorded one; token from EPHENV_TOKEN. */
  url?: string;
  /** How many of the largest changes to list. */
  top?: number;
}

export interface EvaluateContext {
  workspaceRoot: string;
  projectRoot: string;
  project: string;
  /** Where the terminal summary goes; default stdout. */
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Called once the baseline's local server is up (tests check it is stopped in every case). */
  onBaseline?: (baseline: LocalBaseline) => void;
  /** Called after each batch the PR's preview answered (tests stop the preview part-way). */
  onPrBatch?: (done: number, total: number) => void;
}

export interface EvaluateOutcome {
  success: boolean;
  report: EvaluateReport;
  files: { json: string; junit: string };
}

function defaultBase(workspaceRoot: string, env: NodeJS.ProcessEnv): string {
  if (env.NX_BASE) return env.NX_BASE;
  try {
    const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')) as { defaultBase?: unknown };
    if (typeof nxJson.defaultBase === 'string' && nxJson.defaultBase) return nxJson.defaultBase;
  } catch {
    // No readable nx.json: git's usual default branch.
  }
  return 'main';
}

/** The PR's preview: --url with EPHENV_TOKEN, else the record of `deploy-preview`. */
function candidate(o: EvaluateOptions, workspaceRoot: string, project: string, env: NodeJS.ProcessEnv): Endpoint {
  const record = readRecord(workspaceRoot, project);
  if (o.url) {
    const token = env.EPHENV_TOKEN || (record?.url === o.url ? record.token : undefined);
    if (!token) throw new Error(`--url=${o.url} needs the preview's token: set EPHENV_TOKEN`);
    return { role: 'PR preview', url: o.url, token };
  }
  if (!record) throw new Error(`no preview running for ${project}; start one with: npx nx run ${project}:deploy-preview (then evaluate again), or pass --url`);
  return { role: 'PR preview', url: record.url, token: record.token };
}

/**
 * Evaluates the PR's model (its running preview, through the gateway) against the base ref's model
 * on the evaluation set of ephenv.json: metrics of both, the thresholds, and the predictions that
 * changed. Prints a table, writes `dist/ephenv/<project>/evaluate.json` and `evaluate.junit.xml`;
 * `success` is false when a threshold fails or the evaluation cannot run.
 */
export async function runEvaluate(options: EvaluateOptions, context: EvaluateContext): Promise<EvaluateOutcome> {
  const { workspaceRoot, projectRoot, project } = context;
  const env = context.env ?? process.env;
  const log = context.logger ?? stdioLogger;
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const base = options.base || defaultBase(workspaceRoot, env);
  const report: EvaluateReport = { project, status: 'error', startedAt, durationMs: 0, baseline: { kind: options.baselineUrl ? 'url' : 'local', ref: base }, metrics: [] };
  let local: LocalBaseline | undefined;
  const finish = (): EvaluateOutcome => {
    report.durationMs = Math.round(performance.now() - started);
    const files = writeResults(workspaceRoot, report);
    log.info(formatTable(report));
    log.info(`  results: ${relative(workspaceRoot, files.json)}, ${relative(workspaceRoot, files.junit)}`);
    return { success: report.status === 'pass' || report.status === 'skipped', report, files };
  };
  try {
    const config = loadModelConfig(workspaceRoot, projectRoot);
    const e = config.evaluate;
    if (!e) {
      report.status = 'skipped';
      report.reason = `${projectRoot}/ephenv.json has no "evaluate" section: add one with the evaluation data, the task and the thresholds (see libs/evaluate/README.md)`;
      return finish();
    }
    report.task = e.task;
    const rows = readDataset(e.data, `it is ephenv.json's evaluate.data.file${e.data.file.includes(`${join('dist', projectRoot, 'model')}`) ? `, written by train.py: run npx nx run ${project}:train` : ''}`);
    report.data = { file: relative(workspaceRoot, e.data.file), rows: rows.length, batchSize: e.batchSize, concurrency: e.concurrency };
    const pr = candidate(options, workspaceRoot, project, env);
    report.pr = { url: pr.url };

    let baseline: Endpoint | undefined;
    if (options.baselineUrl) {
      const token = env.EPHENV_BASELINE_TOKEN;
      baseline = { role: `baseline at ${options.baselineUrl}`, url: options.baselineUrl, ...(token && { token }) };
      report.baseline.url = options.baselineUrl;
    } else if (existsOnBase(workspaceRoot, base, projectRoot)) {
      local = await startLocalBaseline(workspaceRoot, base, projectRoot, project, log);
      context.onBaseline?.(local);
      baseline = { role: `base (${base}) model server`, url: local.url };
      report.baseline.url = local.url;
    } else {
      report.baseline.kind = 'absent';
    }

    const [prRun, baseRun] = await Promise.all([predict(pr, rows, e, { onBatch: context.onPrBatch }), baseline ? predict(baseline, rows, e) : Promise.resolve(undefined)]);
    const t = performance.now();
    const prScores = score(e, rows, prRun.predictions);
    const baseScores = baseRun ? score(e, rows, baseRun.predictions) : undefined;
    report.metrics = metricRows(e, prScores, baseScores);
    if (prScores.confusionMatrix) report.confusionMatrix = { pr: prScores.confusionMatrix, ...(baseScores?.confusionMatrix && { base: baseScores.confusionMatrix }) };
    if (baseRun) report.diff = diffPredictions(e.task, rows, baseRun.predictions as Prediction[], prRun.predictions, e.tolerance, options.top ?? 10);
    report.timing = { totalMs: round(prRun.timing.totalMs), ephenvMs: round(prRun.timing.ephenvMs + performance.now() - t), requests: prRun.timing.requests };
    report.status = report.metrics.some((m) => m.status === 'fail') ? 'fail' : 'pass';
  } catch (err) {
    report.error = (err as Error).message;
    report.status = 'error';
  } finally {
    if (local) await local.stop();
  }
  return finish();
}

const round = (ms: number) => Math.round(ms * 100) / 100;

function metricRows(e: EvaluateConfig, pr: Scores, base: Scores | undefined): MetricRow[] {
  return (Object.keys(pr.metrics) as MetricName[]).map((metric) => {
    const prValue = pr.metrics[metric]!;
    const baseValue = base?.metrics[metric];
    const spec = e.thresholds[metric];
    const checks = spec ? judge(metric, spec, prValue, baseValue) : [];
    return {
      metric,
      ...(baseValue !== undefined && { base: baseValue, change: prValue - baseValue }),
      pr: prValue,
      greaterIsBetter: greaterIsBetter(metric, spec),
      checks,
      status: checks.length === 0 ? 'none' : checks.every((c) => c.passed) ? 'pass' : 'fail',
    };
  });
}
