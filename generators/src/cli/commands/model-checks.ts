import { runBenchmark, exitCodeFor, type BenchmarkOptions } from '@ephenv/benchmark';
import { runValidate, type ValidateOptions } from '@ephenv/validate';
import { stdioLogger, type Logger } from '@ephenv/core';
import { parseExecutorOptions } from '../executor-options';
import { modelRef } from '../model-ref';
import { VALIDATE_USAGE, BENCHMARK_USAGE } from '../usage';

/** `nx run <model>:validate` without Nx: the same checks, the same files. */
export async function validateCommand(workspaceRoot: string, args: string[]): Promise<number> {
  const { positionals, options } = parseExecutorOptions<ValidateOptions>('validate', args, VALIDATE_USAGE);
  const outcome = await runValidate(options, modelRef(workspaceRoot, positionals, VALIDATE_USAGE));
  return outcome.success ? 0 : 1;
}

/** `nx run <model>:benchmark` without Nx, exiting as k6 does: 99 when a threshold fails. */
export async function benchmarkCommand(workspaceRoot: string, args: string[], log: Logger = stdioLogger): Promise<number> {
  const { positionals, options } = parseExecutorOptions<BenchmarkOptions>('benchmark', args, BENCHMARK_USAGE);
  const ref = modelRef(workspaceRoot, positionals, BENCHMARK_USAGE);
  try {
    const result = await runBenchmark(options, ref);
    return result.exitCode;
  } catch (e) {
    log.error(`ephenv benchmark (${ref.project}): ${(e as Error).message}`);
    return exitCodeFor(e);
  }
}
