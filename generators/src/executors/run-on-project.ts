import { logger, type ExecutorContext } from '@nx/devkit';
import { projectOf, type Logger, type ProjectRef } from '@ephenv/core';

/** The libraries' logger in an executor: Nx's own, so output follows Nx's formatting and levels. */
export const nxLogger: Logger = {
  info: (line) => logger.info(line),
  warn: (line) => logger.warn(line),
  error: (line) => logger.error(line),
};

export interface ExecutorResult {
  success: boolean;
  exitCode?: number;
}

/**
 * What every executor does around its library call: find the project from the context, and turn a
 * failure into one error line naming the target and the project, and `{ success: false }`.
 */
export async function runOnProject(target: string, context: ExecutorContext, run: (ref: ProjectRef, log: Logger) => Promise<ExecutorResult>): Promise<ExecutorResult> {
  let ref: ProjectRef;
  try {
    ref = projectOf(context);
  } catch (e) {
    nxLogger.error(`ephenv: ${target}: ${(e as Error).message}`);
    return { success: false };
  }
  try {
    return await run(ref, nxLogger);
  } catch (e) {
    nxLogger.error(`ephenv: ${target} of ${ref.project} failed: ${(e as Error).message}`);
    return { success: false };
  }
}
