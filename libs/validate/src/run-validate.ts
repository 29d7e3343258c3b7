import { loadModelConfig, readRecord, recordPath, stdioLogger, type Logger, type ModelConfig } from '@ephenv/core';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCompatibilityChecks } from './compat/check-compatibility';
import { answers } from './lib/http';
import { runLiveChecks, type LiveTarget } from './live-checks';
import { formatTable, writeResults, type WrittenResults } from './report';
import { runStaticChecks, type StaticOutcome } from './static-checks';
import { PARTS, type CheckResult, type CompatFinding, type Part, type ValidateReport } from './types';

export type LiveMode = 'auto' | 'always' | 'never';

export interface ValidateOptions {
  /** Git ref whose schemas are production's contract. Default: NX_BASE, else nx.json defaultBase, else main. */
  base?: string;
  /** Report breaking changes without failing. */
  allowBreaking?: boolean;
  /** Run the live checks against this URL (token from EPHENV_TOKEN) instead of the recorded preview. */
  url?: string;
  /** auto: live checks when a preview is recorded and answers (or `url` is given); always: fail without one; never: skip. */
  live?: LiveMode;
  /** Absolute numeric tolerance for live answers; default ephenv.json `validate.tolerance`. */
  tolerance?: number;
  /** The parts to run; default all three. */
  parts?: Part[];
}

export interface ValidateContext {
  workspaceRoot: string;
  /** The project folder relative to the workspace, e.g. apps/iris-classifier. */
  projectRoot: string;
  /** The Nx project name. */
  project: string;
  /** Where the terminal summary goes; default stdout. */
  logger?: Logger;
  /** Where NX_BASE and EPHENV_TOKEN are read from; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface ValidateOutcome {
  success: boolean;
  report: ValidateReport;
  files: WrittenResults;
}

interface Normalized {
  base: string;
  allowBreaking: boolean;
  url?: string;
  live: LiveMode;
  tolerance?: number;
  parts: Part[];
}

function defaultBase(workspaceRoot: string, env: NodeJS.ProcessEnv): string {
  if (env.NX_BASE) return env.NX_BASE;
  try {
    const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')) as { defaultBase?: unknown };
    if (typeof nxJson.defaultBase === 'string' && nxJson.defaultBase) return nxJson.defaultBase;
  } catch {
    // No readable nx.json: fall back to git's usual default branch.
  }
  return 'main';
}

function normalizeOptions(options: ValidateOptions, workspaceRoot: string, env: NodeJS.ProcessEnv): Normalized {
  return {
    base: options.base || defaultBase(workspaceRoot, env),
    allowBreaking: options.allowBreaking ?? false,
    ...(options.url && { url: options.url }),
    live: options.live ?? 'auto',
    ...(options.tolerance !== undefined && { tolerance: options.tolerance }),
    parts: options.parts && options.parts.length > 0 ? PARTS.filter((p) => options.parts!.includes(p)) : [...PARTS],
  };
}

/**
 * Validates one model service: static checks of its contract, compatibility of its schemas with
 * the base ref, and live checks against its running preview. Prints a table, writes
 * `dist/ephenv/<project>/validate.json` and `validate.junit.xml`; `success` is false on any failure.
 */
export async function runValidate(options: ValidateOptions, context: ValidateContext): Promise<ValidateOutcome> {
  const { workspaceRoot, projectRoot, project } = context;
  const env = context.env ?? process.env;
  const log = context.logger ?? stdioLogger;
  const o = normalizeOptions(options, workspaceRoot, env);
  const startedAt = new Date().toISOString();
  const started = performance.now();

  const checks: CheckResult[] = [];
  let findings: CompatFinding[] = [];
  let live: ValidateReport['live'] = { ran: false };

  let config: ModelConfig | undefined;
  try {
    config = loadModelConfig(workspaceRoot, projectRoot);
  } catch (e) {
    checks.push({ part: 'static', name: 'ephenv.json', status: 'fail', message: (e as Error).message.split('\n')[0], details: (e as Error).message.split('\n'), durationMs: 0 });
  }

  if (config) {
    // Live checks need the compiled schemas and the examples, so these are read whatever the parts.
    const statics = runStaticChecks(config, workspaceRoot);
    if (o.parts.includes('static')) checks.push(...statics.checks);
    if (o.parts.includes('compatibility')) {
      const compat = runCompatibilityChecks({ workspaceRoot, config, base: o.base, allowBreaking: o.allowBreaking });
      checks.push(...compat.checks);
      findings = compat.findings;
    }
    if (o.parts.includes('live')) {
      const result = await liveChecks(o, config, statics, context, env);
      checks.push(...result.checks);
      live = result.live;
    }
  }

  const report: ValidateReport = {
    project,
    status: checks.some((c) => c.status === 'fail') ? 'fail' : 'pass',
    startedAt,
    durationMs: Math.round(performance.now() - started),
    parts: o.parts,
    checks,
    compat: { base: o.base, allowBreaking: o.allowBreaking, findings },
    live,
  };
  const files = writeResults(workspaceRoot, report);
  log.info(formatTable(report));
  log.info(`  results: ${relative(workspaceRoot, files.json)}, ${relative(workspaceRoot, files.junit)}`);
  return { success: report.status === 'pass', report, files };
}

async function liveChecks(o: Normalized, config: ModelConfig, statics: StaticOutcome, context: ValidateContext, env: NodeJS.ProcessEnv): Promise<{ checks: CheckResult[]; live: ValidateReport['live'] }> {
  const { workspaceRoot, project } = context;
  const start = `npx nx run ${project}:deploy-preview`;
  const notRun = (reason: string, failing: boolean) => ({
    checks: [{ part: 'live' as const, name: 'live checks', status: failing ? ('fail' as const) : ('skip' as const), message: reason, durationMs: 0 }],
    live: { ran: false, reason },
  });

  if (o.live === 'never') return notRun('off (--live=never)', false);
  if (!statics.input || !statics.output) return notRun('not run: the schemas do not compile; fix the static checks first', o.live === 'always');

  const record = readRecord(workspaceRoot, project);
  let target: LiveTarget;
  if (o.url) {
    const token = env.EPHENV_TOKEN || (record?.url === o.url ? record.token : undefined);
    if (!token) return notRun(`--url=${o.url} needs the preview's token: set EPHENV_TOKEN`, true);
    target = { url: o.url, token };
  } else if (record) {
    target = { url: record.url, token: record.token };
    if (!(await answers(record.url))) {
      const where = relative(workspaceRoot, recordPath(workspaceRoot, project));
      return notRun(`the preview recorded in ${where} (${record.url}) does not answer; start it again with: ${start}`, o.live === 'always');
    }
  } else {
    return notRun(`no preview running for ${project}; start one with: ${start} (then validate again), or pass --url`, o.live === 'always');
  }

  const checks = await runLiveChecks({
    target,
    examples: statics.examples,
    input: statics.input,
    output: statics.output,
    tolerance: o.tolerance ?? config.tolerance,
    project,
  });
  return { checks, live: { ran: true, url: target.url } };
}
