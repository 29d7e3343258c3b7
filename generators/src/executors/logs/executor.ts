import type { ExecutorContext } from '@nx/devkit';
import { readPreviewLogs } from '@ephenv/preview';
import { projectOf } from '@ephenv/core';
import type { LogsExecutorSchema } from './schema';

export default async function logsExecutor(options: LogsExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const ref = projectOf(context);
  try {
    console.log(await readPreviewLogs(ref.workspaceRoot, ref.project, { ...options, pr: options.pr === undefined ? undefined : String(options.pr) }));
    return { success: true };
  } catch (e) {
    console.error(`ephenv: logs of ${ref.project} failed: ${(e as Error).message}`);
    return { success: false };
  }
}
