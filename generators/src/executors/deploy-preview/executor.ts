import type { ExecutorContext } from '@nx/devkit';
import { deployPreview } from '@ephenv/preview/lifecycle';
import { projectOf } from '@ephenv/core';
import type { DeployPreviewExecutorSchema } from './schema';

export default async function deployPreviewExecutor(options: DeployPreviewExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const ref = projectOf(context);
  try {
    await deployPreview(ref, options);
    return { success: true };
  } catch (e) {
    console.error(`ephenv: deploy-preview of ${ref.project} failed: ${(e as Error).message}`);
    return { success: false };
  }
}
