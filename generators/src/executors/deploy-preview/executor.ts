import type { ExecutorContext } from '@nx/devkit';
import { deployPreview } from '@ephenv/preview/lifecycle';
import { runOnProject } from '../run-on-project';
import type { DeployPreviewExecutorSchema } from './schema';

/** `nx run <project>:deploy-preview`: creates or replaces the project's preview. */
export default function deployPreviewExecutor(options: DeployPreviewExecutorSchema, context: ExecutorContext) {
  return runOnProject('deploy-preview', context, async (ref, log) => {
    await deployPreview(ref, options, log);
    return { success: true };
  });
}
