import { runEvaluate, type EvaluateOptions } from '@ephenv/evaluate';
import { parseExecutorOptions } from '../executor-options';
import { modelRef } from '../model-ref';
import { EVALUATE_USAGE } from '../usage';

/**
 * `nx run <model>:evaluate` without Nx: the same evaluation, the same files; exits 1 when a
 * threshold fails. A module of its own so `ephenv evaluate` loads only the evaluate library.
 */
export async function evaluateCommand(workspaceRoot: string, args: string[]): Promise<number> {
  const { positionals, options } = parseExecutorOptions<EvaluateOptions>('evaluate', args, EVALUATE_USAGE);
  const outcome = await runEvaluate(options, modelRef(workspaceRoot, positionals, EVALUATE_USAGE));
  return outcome.success ? 0 : 1;
}
