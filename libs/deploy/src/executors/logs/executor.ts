import type { ExecutorContext } from '@nx/devkit';
import { previewLogs } from '../../logs';
import { projectRef } from '../project-ref';
import type { LogsExecutorSchema } from './schema';

export default async function logsExecutor(options: LogsExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const ref = projectRef(context);
  console.log(previewLogs(ref.workspaceRoot, ref.project, options));
  return { success: true };
}
