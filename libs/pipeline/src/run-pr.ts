import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir, runFile, type PrRun, type Step } from '@ephenv/core';
import { resolvePr } from '@ephenv/preview';
import { modelProjects, runNx } from './nx-cli';
import type { DeployOutcome } from '@ephenv/report';
import type { PreviewDeployments } from './preview-deployments';

export interface PrOptions {
  all?: boolean;
  base?: string;
  head?: string;
  provider?: 'local' | 'aws';
  pr?: string;
  destroy?: boolean;
  baselineDir?: string;
  /** Which checks run after the deploy (default both); e.g. no benchmark where the preview URL cannot be reached. */
  checks?: ('validate' | 'evaluate' | 'benchmark')[];
  /** GitHub Deployments to keep in step with the deploys (see preview-deployments.ts). */
  deployments?: PreviewDeployments;
}

/** What each step leaves behind when it succeeded for a project. */
const EVIDENCE: Partial<Record<Step, string>> = { deploy: 'preview.json', validate: 'validate.json', evaluate: 'evaluate.json', benchmark: 'benchmark.json' };

/**
 * The pipeline CI runs for a pull request, usable locally: deploy-preview, validate, evaluate and benchmark
 * for the affected models through Nx's task runner, then the report; with `destroy`, tear down at
 * the end. One model's failure does not stop the others; the result says whether the PR is good.
 */
export async function runPr(workspaceRoot: string, options: PrOptions, log = (l: string) => console.log(l)): Promise<{ ok: boolean; run: PrRun }> {
  const models = await modelProjects(workspaceRoot, { all: options.all ?? false, base: options.base, head: options.head });
  const provider = options.provider ?? ((process.env.EPHENV_PROVIDER as 'local' | 'aws' | undefined) || 'local');
  const pr = resolvePr(options.pr);
  const run: PrRun = { pr, provider, base: options.base, head: options.head, models, steps: {}, startedAt: new Date().toISOString() };
  mkdirSync(join(workspaceRoot, 'dist', 'ephenv'), { recursive: true });
  if (models.length === 0) {
    log('ephenv pr: no model service is affected by this change; nothing to preview.');
    run.finishedAt = new Date().toISOString();
    writeFileSync(runFile(workspaceRoot), JSON.stringify(run, null, 2) + '\n');
    return { ok: true, run };
  }
  log(`ephenv pr: ${models.length} model(s): ${models.join(', ')} (provider ${provider}, PR ${run.pr})`);
  for (const model of models) {
    // Results of an earlier run must not pass for this one's.
    for (const file of Object.values(EVIDENCE)) rmSync(join(resultsDir(workspaceRoot, model), file!), { force: true });
    run.steps[model] = {};
  }

  const common = [`--projects=${models.join(',')}`, '--nxBail=false', '--outputStyle=stream'];
  const target = (step: Step, name: string, extra: string[] = [], parallel = 2) =>
    runNx(workspaceRoot, ['run-many', '-t', name, ...common, `--parallel=${parallel}`, ...extra]).then(() => {
      for (const model of models) {
        const evidence = EVIDENCE[step];
        run.steps[model][step] = evidence ? (existsSync(join(resultsDir(workspaceRoot, model), evidence)) ? 'ok' : 'failed') : run.steps[model][step];
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
    writeFileSync(runFile(workspaceRoot), JSON.stringify(run, null, 2) + '\n');
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
      const url = (JSON.parse(readFileSync(join(resultsDir(workspaceRoot, model), EVIDENCE.deploy!), 'utf8')) as { url?: unknown }).url;
      outcomes[model] = typeof url === 'string' && url ? { ok: true, url } : { ok: false, reason: `deploy-preview of ${model} recorded no preview URL` };
    } catch {
      outcomes[model] = failed;
    }
  }
  return outcomes;
}

/** validate.json and benchmark.json are written whatever the verdict: read the verdict itself. */
function markValidateFailures(workspaceRoot: string, run: PrRun): void {
  const verdicts: [Step, string, (data: any) => boolean][] = [
    ['validate', 'validate.json', (data) => data.status === 'pass'],
    ['evaluate', 'evaluate.json', (data) => data.status === 'pass' || data.status === 'skipped'],
    ['benchmark', 'benchmark.json', (data) => data.ephenv?.thresholds?.ok === true && !data.ephenv?.baseline?.regressed],
  ];
  for (const model of run.models) {
    for (const [step, file, passed] of verdicts) {
      const path = join(resultsDir(workspaceRoot, model), file);
      if (!existsSync(path)) continue;
      let ok = false;
      try {
        ok = passed(JSON.parse(readFileSync(path, 'utf8')));
      } catch {
        ok = false;
      }
      if (!ok) run.steps[model][step] = 'failed';
    }
  }
}
