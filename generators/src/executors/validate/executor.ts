import type { ExecutorContext } from '@nx/devkit';
import { runValidate } from '@ephenv/validate';
import { runOnProject } from '../run-on-project';
import type { ValidateExecutorSchema } from './schema';

/** `nx run <project>:validate`: static, compatibility and live checks of a model service. */
export default function validateExecutor(options: ValidateExecutorSchema, context: ExecutorContext) {
  return runOnProject('validate', context, async (ref, logger) => ({ success: (await runValidate(options, { ...ref, logger })).success }));
}
