import type { ExecutorContext } from '@nx/devkit';
import { destroyPreview } from '@ephenv/preview/lifecycle';
import { projectOf } from '@ephenv/core';
import type { DestroyPreviewExecutorSchema } from './schema';

export default async function destroyPreviewExecutor(options: DestroyPreviewExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const ref = projectOf(context);
  try {
    await destroyPreview(ref, options);
    return { success: true };
  } catch (e) {
    console.error(`ephenv: destroy-preview of ${ref.project} failed: ${(e as Error).message}`);
    return { success: false };
  }
}
