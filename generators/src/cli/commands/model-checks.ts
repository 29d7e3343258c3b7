import { parseArgs } from 'node:util';
import { findModelProjectRoot } from '@ephenv/core';
import { runBenchmark, exitCodeFor } from '@ephenv/benchmark';
import { runEvaluate } from '@ephenv/evaluate';
import { runValidate } from '@ephenv/validate';
import { VALIDATE_USAGE, EVALUATE_USAGE, BENCHMARK_USAGE } from '../usage';

function projectOf(workspaceRoot: string, name: string | undefined, usage: string) {
  if (!name) throw new Error(`usage: ${usage}`);
  const projectRoot = findModelProjectRoot(workspaceRoot, name);
  if (projectRoot === undefined) throw new Error(`no model project "${name}" (a folder named ${name} with an ephenv.json): check the name, or create it with "npx nx g @ephenv:model ${name}"`);
  return { workspaceRoot, project: name, projectRoot };
}

/** `nx run <model>:validate` without Nx: the same checks, the same files. */
export async function validateCommand(workspaceRoot: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { base: { type: 'string' }, 'allow-breaking': { type: 'boolean', default: false }, url: { type: 'string' }, live: { type: 'string' } },
  });
  const ref = projectOf(workspaceRoot, positionals[0], VALIDATE_USAGE);
  const live = values.live as 'auto' | 'always' | 'never' | undefined;
  if (live !== undefined && !['auto', 'always', 'never'].includes(live)) throw new Error(`--live must be auto, always or never; got "${live}"`);
  const outcome = await runValidate({ base: values.base, allowBreaking: values['allow-breaking'], url: values.url, live }, ref);
  return outcome.success ? 0 : 1;
}

/** `nx run <model>:evaluate` without Nx: the same evaluation, the same files; exits 1 when a threshold fails. */
export async function evaluateCommand(workspaceRoot: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { base: { type: 'string' }, 'baseline-url': { type: 'string' }, url: { type: 'string' }, top: { type: 'string' } },
  });
  const ref = projectOf(workspaceRoot, positionals[0], EVALUATE_USAGE);
  const top = values.top === undefined ? undefined : Number(values.top);
  if (top !== undefined && !(Number.isInteger(top) && top >= 0)) throw new Error(`--top must be a whole number; got "${values.top}"`);
  const outcome = await runEvaluate({ base: values.base, baselineUrl: values['baseline-url'], url: values.url, top }, ref);
  return outcome.success ? 0 : 1;
}

/** `nx run <model>:benchmark` without Nx, exiting as k6 does: 99 when a threshold fails. */
export async function benchmarkCommand(workspaceRoot: string, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      engine: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      url: { type: 'string' },
      baseline: { type: 'string' },
      thresholds: { type: 'string' },
    },
  });
  const ref = projectOf(workspaceRoot, positionals[0], BENCHMARK_USAGE);
  const engine = values.engine as 'auto' | 'embedded' | 'k6' | undefined;
  if (engine !== undefined && !['auto', 'embedded', 'k6'].includes(engine)) throw new Error(`--engine must be auto, embedded or k6; got "${engine}"`);
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(Number.isInteger(rate) && rate > 0)) throw new Error(`--rate must be a positive integer; got "${values.rate}"`);
  try {
    const result = await runBenchmark({ engine, rate, duration: values.duration, url: values.url, baseline: values.baseline, thresholds: values.thresholds }, ref);
    return result.exitCode;
  } catch (e) {
    console.error(`ephenv benchmark (${ref.project}): ${(e as Error).message}`);
    return exitCodeFor(e);
  }
}
