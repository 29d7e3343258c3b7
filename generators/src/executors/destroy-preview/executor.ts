import type { ExecutorContext } from '@nx/devkit';
import { destroyPreview } from '@ephenv/preview/lifecycle';
import { runOnProject } from '../run-on-project';
import type { DestroyPreviewExecutorSchema } from './schema';

/** `nx run <project>:destroy-preview`: removes the project's preview; nothing to destroy is a success. */
export default function destroyPreviewExecutor(options: DestroyPreviewExecutorSchema, context: ExecutorContext) {
  return runOnProject('destroy-preview', context, async (ref, log) => {
    await destroyPreview(ref, options, log);
    return { success: true };
  });
}
