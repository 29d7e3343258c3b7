import { runBenchmark, exitCodeFor, type BenchmarkOptions } from '@ephenv/benchmark';
import { runEvaluate, type EvaluateOptions } from '@ephenv/evaluate';
import { runValidate, type ValidateOptions } from '@ephenv/validate';
import { parseExecutorOptions } from '../executor-options';
import { modelRef } from '../model-ref';
import { VALIDATE_USAGE, EVALUATE_USAGE, BENCHMARK_USAGE } from '../usage';

/** `nx run <model>:validate` without Nx: the same checks, the same files. */
export async function validateCommand(workspaceRoot: string, args: string[]): Promise<number> {
  const { positionals, options } = parseExecutorOptions<ValidateOptions>('validate', args, VALIDATE_USAGE);
  const outcome = await runValidate(options, modelRef(workspaceRoot, positionals, VALIDATE_USAGE));
  return outcome.success ? 0 : 1;
}

/** `nx run <model>:evaluate` without Nx: the same evaluation, the same files; exits 1 when a threshold fails. */
export async function evaluateCommand(workspaceRoot: string, args: string[]): Promise<number> {
  const { positionals, options } = parseExecutorOptions<EvaluateOptions>('evaluate', args, EVALUATE_USAGE);
  const outcome = await runEvaluate(options, modelRef(workspaceRoot, positionals, EVALUATE_USAGE));
  return outcome.success ? 0 : 1;
}

/** `nx run <model>:benchmark` without Nx, exiting as k6 does: 99 when a threshold fails. */
export async function benchmarkCommand(workspaceRoot: string, args: string[]): Promise<number> {
  const { positionals, options } = parseExecutorOptions<BenchmarkOptions>('benchmark', args, BENCHMARK_USAGE);
  const ref = modelRef(workspaceRoot, positionals, BENCHMARK_USAGE);
  try {
    const result = await runBenchmark(options, ref);
    return result.exitCode;
  } catch (e) {
    console.error(`ephenv benchmark (${ref.project}): ${(e as Error).message}`);
    return exitCodeFor(e);
  }
}
