import { findResult, hasResult, providerName, removeResult, ResultFileError, writeRun, type ModelResultKind, type ModelResultShapes, type PrRun, type ProviderName, type Step } from '@ephenv/core';
import { resolvePr } from '@ephenv/preview';
import { modelProjects, runNx } from './nx-cli';
import type { DeployOutcome } from '@ephenv/report';
import type { PreviewDeployments } from './preview-deployments';

export interface PrOptions {
  all?: boolean;
  base?: string;
  head?: string;
  provider?: ProviderName;
  pr?: string;
  destroy?: boolean;
  baselineDir?: string;
  /** Which checks run after the deploy (default both); e.g. no benchmark where the preview URL cannot be reached. */
  checks?: ('validate' | 'evaluate' | 'benchmark')[];
  /** GitHub Deployments to keep in step with the deploys (see preview-deployments.ts). */
  deployments?: PreviewDeployments;
}

/** What each step leaves behind when it succeeded for a project. */
const EVIDENCE: Partial<Record<Step, ModelResultKind>> = { deploy: 'preview', validate: 'validate', evaluate: 'evaluate', benchmark: 'benchmark' };

/**
 * The pipeline CI runs for a pull request, usable locally: deploy-preview, validate, evaluate and benchmark
 * for the affected models through Nx's task runner, then the report; with `destroy`, tear down at
 * the end. One model's failure does not stop the others; the result says whether the PR is good.
 */
export async function runPr(workspaceRoot: string, options: PrOptions, log = (l: string) => console.log(l)): Promise<{ ok: boolean; run: PrRun }> {
  const models = await modelProjects(workspaceRoot, { all: options.all ?? false, base: options.base, head: options.head });
  const provider = providerName(options.provider);
  const pr = resolvePr(options.pr);
  const run: PrRun = { pr, provider, base: options.base, head: options.head, models, steps: {}, startedAt: new Date().toISOString() };
  if (models.length === 0) {
    log('ephenv pr: no model service is affected by this change; nothing to preview.');
    run.finishedAt = new Date().toISOString();
    writeRun(workspaceRoot, run);
    return { ok: true, run };
  }
  log(`ephenv pr: ${models.length} model(s): ${models.join(', ')} (provider ${provider}, PR ${run.pr})`);
  for (const model of models) {
    // Results of an earlier run must not pass for this one's.
    for (const kind of Object.values(EVIDENCE)) removeResult(workspaceRoot, model, kind!);
    run.steps[model] = {};
  }

  const common = [`--projects=${models.join(',')}`, '--nxBail=false', '--outputStyle=stream'];
  const target = (step: Step, name: string, extra: string[] = [], parallel = 2) =>
    runNx(workspaceRoot, ['run-many', '-t', name, ...common, `--parallel=${parallel}`, ...extra]).then(() => {
      for (const model of models) {
        const evidence = EVIDENCE[step];
        run.steps[model][step] = evidence ? (hasResult(workspaceRoot, model, evidence) ? 'ok' : 'failed') : run.steps[model][step];
      }
    });

  const previewArgs = [`--provider=${provider}`, `--pr=${pr}`];
  try {
    await options.deployments?.begin(models);
    await target('deploy', 'deploy-preview', previewArgs);
    await options.deployments?.finish(deployOutcomes(workspaceRoot, run));
    const checks = options.checks ?? ['validate', 'evaluate', 'benchmark'];
    if (checks.includes('validate')) await target('validate', 'validate', options.base ? [`--base=${options.base}`] : []);
    // One at a time: each trains and serves its base model on this machine.
    if (checks.includes('evaluate')) await target('evaluate', 'evaluate', options.base ? [`--base=${options.base}`] : [], 1);
    // One load test at a time: concurrent benchmarks on one machine would measure each other.
    if (checks.includes('benchmark')) await target('benchmark', 'benchmark', options.baselineDir ? [`--baselineDir=${options.baselineDir}`] : [], 1);
    markValidateFailures(workspaceRoot, run);
  } finally {
    if (options.destroy) {
      const destroyed = await runNx(workspaceRoot, ['run-many', '-t', 'destroy-preview', ...common, '--parallel=2', ...previewArgs]);
      for (const model of models) run.steps[model].destroy = destroyed.code === 0 ? 'ok' : 'failed';
    }
    run.finishedAt = new Date().toISOString();
    writeRun(workspaceRoot, run);
  }
  const ok = models.every((m) => Object.values(run.steps[m]).every((s) => s !== 'failed'));
  return { ok, run };
}

/** What each model's deploy step left: its preview URL, or why there is none. */
function deployOutcomes(workspaceRoot: string, run: PrRun): Record<string, DeployOutcome> {
  const outcomes: Record<string, DeployOutcome> = {};
  for (const model of run.models) {
    const failed: DeployOutcome = { ok: false, reason: `deploy-preview of ${model} failed: see the run's log` };
    if (run.steps[model].deploy !== 'ok') {
      outcomes[model] = failed;
      continue;
    }
    try {
      const url = findResult(workspaceRoot, model, 'preview')?.url;
      outcomes[model] = url ? { ok: true, url } : { ok: false, reason: `deploy-preview of ${model} recorded no preview URL` };
    } catch (e) {
      if (!(e instanceof ResultFileError)) throw e;
      outcomes[model] = { ok: false, reason: e.message };
    }
  }
  return outcomes;
}

/** Whether a check's result says it passed (each is written whatever the verdict). */
const PASSED: { [K in 'validate' | 'evaluate' | 'benchmark']: (data: ModelResultShapes[K]) => boolean } = {
  validate: (data) => data.status === 'pass',
  evaluate: (data) => data.status === 'pass' || data.status === 'skipped',
  benchmark: (data) => data.ephenv.thresholds?.ok === true && !data.ephenv.baseline?.regressed,
};

/** validate.json, evaluate.json and benchmark.json are written whatever the verdict: read the verdict itself; a malformed file is a failure. */
function markValidateFailures(workspaceRoot: string, run: PrRun): void {
  for (const model of run.models) {
    for (const step of ['validate', 'evaluate', 'benchmark'] as const) {
      let ok: boolean | undefined;
      try {
        const data = findResult(workspaceRoot, model, step);
        ok = data === undefined ? undefined : (PASSED[step] as (d: typeof data) => boolean)(data);
      } catch (e) {
        if (!(e instanceof ResultFileError)) throw e;
        ok = false;
      }
      if (ok === false) run.steps[model][step] = 'failed';
    }
  }
}
