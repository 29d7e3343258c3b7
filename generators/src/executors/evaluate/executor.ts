import type { ExecutorContext } from '@nx/devkit';
import { runEvaluate } from '@ephenv/evaluate';
import { runOnProject } from '../run-on-project';
import type { EvaluateExecutorSchema } from './schema';

/** `nx run <project>:evaluate`: the PR's preview against the base ref's model. */
export default function evaluateExecutor(options: EvaluateExecutorSchema, context: ExecutorContext) {
  return runOnProject('evaluate', context, async (ref, logger) => ({ success: (await runEvaluate(options, { ...ref, logger })).success }));
}
