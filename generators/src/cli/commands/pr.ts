import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { providerName } from '@ephenv/core';
import { resolvePr } from '@ephenv/preview';
import { previewDeployments, runPr } from '@ephenv/pipeline';
import { appendJobSummary, githubContextFromEnv } from '@ephenv/report';
import { defaultCommentFile, htmlReportFile, reportCommand } from './report';

/** deploy-preview, validate, evaluate and benchmark for the affected models, then the PR comment's markdown. */
export async function prCommand(workspaceRoot: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      all: { type: 'boolean', default: false },
      base: { type: 'string' },
      head: { type: 'string' },
      provider: { type: 'string' },
      pr: { type: 'string' },
      destroy: { type: 'boolean', default: false },
      'baseline-dir': { type: 'string' },
      checks: { type: 'string' },
    },
  });
  const checks = values.checks === undefined ? undefined : values.checks.split(',').filter(Boolean);
  const unknown = (checks ?? []).filter((c) => c !== 'validate' && c !== 'evaluate' && c !== 'benchmark');
  if (unknown.length > 0) throw new Error(`--checks takes validate, evaluate and/or benchmark (comma-separated); got "${unknown.join(',')}"`);
  const { ok, run } = await runPr(workspaceRoot, {
    all: values.all,
    base: values.base ?? process.env.NX_BASE,
    head: values.head ?? process.env.NX_HEAD,
    provider: providerName(values.provider, env),
    pr: values.pr,
    destroy: values.destroy,
    baselineDir: values['baseline-dir'],
    checks: checks as ('validate' | 'evaluate' | 'benchmark')[] | undefined,
    deployments: previewDeployments(workspaceRoot, githubContextFromEnv(env), resolvePr(values.pr, env), (line) => console.log(line)),
  });
  await reportCommand(workspaceRoot, [...(values.pr ? ['--pr', values.pr] : []), '--html', htmlReportFile(workspaceRoot)], undefined, env);
  publishJobSummary(workspaceRoot, env);
  const failed = run.models.filter((m) => Object.values(run.steps[m]).includes('failed'));
  console.log(ok ? `\nephenv pr: all ${run.models.length} model(s) passed` : `\nephenv pr: failed for ${failed.join(', ')} (see the report above)`);
  return ok ? 0 : 1;
}

/** The report just written, also on the run's page when GitHub Actions gives a job summary. */
export function publishJobSummary(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = defaultCommentFile(workspaceRoot);
  return existsSync(file) && appendJobSummary(readFileSync(file, 'utf8'), env);
}
