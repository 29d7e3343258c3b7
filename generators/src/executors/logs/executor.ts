import type { ExecutorContext } from '@nx/devkit';
import { readPreviewLogs } from '@ephenv/preview';
import { runOnProject } from '../run-on-project';
import type { LogsExecutorSchema } from './schema';

/** `nx run <project>:logs`: the preview's gateway and model logs, wherever it runs. */
export default function logsExecutor(options: LogsExecutorSchema, context: ExecutorContext) {
  return runOnProject('logs', context, async (ref, log) => {
    log.info(await readPreviewLogs(ref.workspaceRoot, ref.project, options));
    return { success: true };
  });
}
