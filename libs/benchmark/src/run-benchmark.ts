import { loadExamples, loadModelConfig, readRecord, resultsDir, RESULT_FILES, writeResult, type ThresholdSpec } from '@ephenv/core';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compareWithBaseline, readBaseline, type BaselineComparison } from './baseline';
import { runEmbedded } from './engine/run-embedded';
import { buildK6Invocation, findK6, K6_INSTALL_HINT, K6Error, readK6Summary, spawnK6 } from './k6-runner';
import { timelineFromK6Json } from './k6-timeline';
import { EMBEDDED_METRICS, EMBEDDED_TAGS, K6_ONLY_METRICS } from './metrics';
import { Progress } from './progress';
import { renderMarkdown } from './render-markdown';
import { renderSummary } from './render-summary';
import { describeScenario, resolveScenario } from './scenario';
import {
  displayUrl,
  failedThresholds,
  rootGroup,
  summarizeMetrics,
  THRESHOLDS_FAILED_EXIT_CODE,
  trendStatsFor,
  type BenchmarkSummary,
  type EphenvRunInfo,
} from './summary';
import { evaluateThresholds, parseThresholds, type ThresholdCatalogue } from './thresholds/thresholds';
import { TimelineRecorder, type Timeline } from './timeline';

export type EngineChoice = 'auto' | 'embedded' | 'k6';

export interface BenchmarkOptions {
  /** auto: k6 when the binary is on PATH and the project has load/k6.js, else embedded. */
  engine?: EngineChoice;
  /** Overrides load.scenario.rate (constant-arrival-rate). */
  rate?: number;
  /** Overrides load.scenario.duration (k6 duration: "30s", "1m30s"). */
  duration?: string;
  /** Benchmark this URL instead of the running preview's. */
  url?: string;
  /** A previous benchmark.json (e.g. main's last) to compare with. */
  baseline?: string;
  /** A folder of earlier results, `<dir>/<project>/benchmark.json` (main's last CI artifact); used when `baseline` is not given. */
  baselineDir?: string;
  /** Relative regression tolerance against the baseline (0.1 = 10%). */
  tolerance?: number;
  /** Replaces load.thresholds entries, per metric (an object, or its JSON from a command line). */
  thresholds?: Record<string, ThresholdSpec[]> | string;
  /** Exit non-zero (1) when the baseline comparison finds a regression. */
  failOnRegression?: boolean;
  /** Live progress on stderr (default true). */
  progress?: boolean;
}

export interface BenchmarkContext {
  workspaceRoot: string;
  projectRoot: string;
  project: string;
  /** Where EPHENV_TOKEN and PATH are read, and what k6 inherits; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** The end-of-test summary (default process.stdout). */
  stdout?: NodeJS.WritableStream;
  /** Progress, notices and k6's own output (default process.stderr). */
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  signal?: AbortSignal;
}

export interface BenchmarkResult {
  summary: BenchmarkSummary;
  /** 0, 99 when thresholds failed (as k6), 1 for a regression with failOnRegression. */
  exitCode: number;
  summaryFile: string;
  markdown: string;
}

export const REGRESSION_EXIT_CODE = 1;

export class BenchmarkError extends Error {
  override name = 'BenchmarkError';
}

interface Target {
  url: string;
  token: string;
}

function resolveTarget(options: BenchmarkOptions, ctx: BenchmarkContext, env: NodeJS.ProcessEnv): Target {
  const record = readRecord(ctx.workspaceRoot, ctx.project);
  const url = options.url ?? record?.url;
  if (!url) {
    throw new BenchmarkError(
      `no preview of ${ctx.project} is running: start one with "npx nx run ${ctx.project}:deploy-preview", or pass --url (with EPHENV_TOKEN) to benchmark another endpoint`,
    );
  }
  try {
    new URL(url);
  } catch {
    throw new BenchmarkError(`--url "${url}" is not a URL (expected e.g. http://127.0.0.1:8080)`);
  }
  const token = env.EPHENV_TOKEN || record?.token;
  if (!token) throw new BenchmarkError(`no token for ${displayUrl(url)}: set EPHENV_TOKEN, or deploy a preview with "npx nx run ${ctx.project}:deploy-preview"`);
  return { url, token };
}

function chooseEngine(choice: EngineChoice, script: string, env: NodeJS.ProcessEnv, notice: (s: string) => void): { engine: 'embedded' } | { engine: 'k6'; k6: string } {
  if (choice === 'embedded') return { engine: 'embedded' };
  const k6 = findK6(env);
  if (choice === 'k6') {
    if (!k6) throw new BenchmarkError(`--engine k6: the k6 binary is not on PATH. ${K6_INSTALL_HINT}`);
    if (!existsSync(script)) throw new BenchmarkError(`--engine k6: ${script} not found; regenerate it with "nx g @ephenv:model" or run with --engine embedded`);
    return { engine: 'k6', k6 };
  }
  if (choice !== 'auto') throw new BenchmarkError(`--engine "${choice}" is not one of auto, embedded, k6`);
  if (k6 && existsSync(script)) return { engine: 'k6', k6 };
  notice(k6 ? `${script} not found: using the embedded engine` : 'k6 not found on PATH: using the embedded engine');
  return { engine: 'embedded' };
}

function thresholdOverrides(value: BenchmarkOptions['thresholds']): Record<string, ThresholdSpec[]> {
  if (value === undefined) return {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new BenchmarkError(`--thresholds is not JSON: pass e.g. --thresholds='{"http_req_duration":["p(95)<300"]}'`);
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BenchmarkError('--thresholds must map metric names to arrays of thresholds, e.g. {"http_req_duration":["p(95)<300"]}');
  }
  return parsed as Record<string, ThresholdSpec[]>;
}

function catalogue(engine: 'embedded' | 'k6'): ThresholdCatalogue {
  return engine === 'embedded'
    ? { metrics: EMBEDDED_METRICS, strict: true, tags: (metric) => EMBEDDED_TAGS[metric], engine }
    : { metrics: { ...EMBEDDED_METRICS, ...K6_ONLY_METRICS }, strict: false, engine };
}

/**
 * Benchmarks a project's preview with the scenario and thresholds of its ephenv.json: picks the
 * engine, checks everything before the first request, runs, prints the end-of-test summary,
 * compares with the baseline and writes dist/ephenv/<project>/benchmark.json.
 */
export async function runBenchmark(options: BenchmarkOptions, ctx: BenchmarkContext): Promise<BenchmarkResult> {
  const env = ctx.env ?? process.env;
  const stdout = ctx.stdout ?? process.stdout;
  const stderr = ctx.stderr ?? process.stderr;
  const notice = (s: string) => stderr.write(`ephenv benchmark: ${s}\n`);

  const config = loadModelConfig(ctx.workspaceRoot, ctx.projectRoot);
  const target = resolveTarget(options, ctx, env);
  const examples = loadExamples(config);
  if (examples.length === 0) throw new BenchmarkError(`${config.schemas.examples} has no example: the benchmark sends the examples' requests`);
  const script = join(config.projectDir, 'load', 'k6.js');
  const chosen = chooseEngine(options.engine ?? 'auto', script, env, notice);

  const scenario = resolveScenario(config.load.scenario, { rate: options.rate, duration: options.duration }, chosen.engine === 'embedded');
  const thresholdConfig = { ...config.load.thresholds, ...thresholdOverrides(options.thresholds) };
  const thresholds = parseThresholds(thresholdConfig, catalogue(chosen.engine));
  const trendStats = trendStatsFor(thresholds);
  const baselineFile = baselineFor(options, ctx);
  const baseline = baselineFile ? readBaseline(baselineFile) : undefined;

  const outDir = resultsDir(ctx.workspaceRoot, ctx.project);
  mkdirSync(outDir, { recursive: true });
  const startedAt = new Date();
  let data: Pick<BenchmarkSummary, 'root_group' | 'options' | 'state' | 'metrics'>;
  let aborted: string | undefined;
  let timeline: Timeline | undefined;

  if (chosen.engine === 'embedded') {
    const recorder = new TimelineRecorder();
    const progress = options.progress === false ? undefined : new Progress({ stream: stderr });
    const run = await runEmbedded({
      url: target.url,
      token: target.token,
      bodies: examples.map((e) => Buffer.from(JSON.stringify(e.request))),
      plan: scenario.plan,
      thresholds,
      progress,
      signal: ctx.signal,
      timeline: recorder,
    });
    timeline = recorder.toJSON();
    evaluateThresholds(thresholds, (name) => run.registry.sink(name), run.testRunDurationMs, false);
    aborted = run.aborted;
    data = {
      root_group: rootGroup(run.checks),
      options: { summaryTrendStats: trendStats, summaryTimeUnit: '', noColor: false },
      state: { isStdOutTTY: (stdout as { isTTY?: boolean }).isTTY === true, isStdErrTTY: stderr.isTTY === true, testRunDurationMs: run.testRunDurationMs },
      metrics: summarizeMetrics(run.registry, thresholds, run.testRunDurationMs, trendStats),
    };
  } else {
    const summaryPath = join(outDir, 'k6-summary.json');
    const samplesPath = join(outDir, 'k6-samples.json');
    rmSync(summaryPath, { force: true });
    rmSync(samplesPath, { force: true });
    const invocation = buildK6Invocation({
      k6: chosen.k6,
      script,
      baseUrl: target.url,
      token: target.token,
      options: { scenario: scenario.k6, thresholds: thresholdConfig, summaryTrendStats: trendStats },
      exampleFiles: examples.map((e) => e.file),
      summaryPath,
      samplesPath,
      cwd: config.projectDir,
      env,
    });
    const code = await spawnK6(invocation, { output: ctx.stderr, signal: ctx.signal });
    if (code !== 0 && code !== THRESHOLDS_FAILED_EXIT_CODE && !existsSync(summaryPath)) {
      throw new K6Error(`k6 exited with code ${code} for ${ctx.project} (104: invalid options, 107: script error; see its output above)`);
    }
    data = readK6Summary(summaryPath);
    if (existsSync(samplesPath)) {
      timeline = (await timelineFromK6Json(samplesPath)).toJSON();
      // Every sample of the run: large, and summarized now.
      rmSync(samplesPath, { force: true });
    }
    if (ctx.signal?.aborted) aborted = 'the run was interrupted';
  }

  const failed = failedThresholds(data.metrics);
  const info: EphenvRunInfo = {
    engine: chosen.engine,
    project: ctx.project,
    url: displayUrl(target.url),
    scenario: scenario.k6,
    scenarioDescription: describeScenario(scenario.plan),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    testRunDurationMs: data.state.testRunDurationMs,
    thresholds: { ok: failed.length === 0, failed },
    ...(aborted ? { aborted } : {}),
    ...(timeline ? { timeline } : {}),
  };
  const summary: BenchmarkSummary = { ...data, ephenv: info };
  let comparison: BaselineComparison | undefined;
  if (baseline && baselineFile) {
    comparison = compareWithBaseline(summary, baseline, baselineFile, { tolerance: options.tolerance });
    info.baseline = comparison;
  }

  const summaryFile = writeResult(ctx.workspaceRoot, ctx.project, 'benchmark', summary);
  stdout.write(renderSummary(summary));
  notice(`summary written to ${summaryFile}`);

  let exitCode = 0;
  if (failed.length > 0) exitCode = THRESHOLDS_FAILED_EXIT_CODE;
  else if (options.failOnRegression && comparison?.regressed) exitCode = REGRESSION_EXIT_CODE;
  return { summary, exitCode, summaryFile, markdown: renderMarkdown(summary, comparison) };
}

/** The baseline file: --baseline, else the project's file in --baselineDir when there is one (a new model has none). */
function baselineFor(options: BenchmarkOptions, ctx: BenchmarkContext): string | undefined {
  if (options.baseline) return options.baseline;
  if (!options.baselineDir) return undefined;
  const file = join(resolve(ctx.workspaceRoot, options.baselineDir), ctx.project, RESULT_FILES.benchmark);
  if (existsSync(file)) return file;
  (ctx.stderr ?? process.stderr).write(`ephenv benchmark: no baseline for ${ctx.project} in ${options.baselineDir} (a new model, or main has no result yet)\n`);
  return undefined;
}
