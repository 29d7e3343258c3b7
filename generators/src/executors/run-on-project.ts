import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
  keepTypeScriptLoader(context.root);
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

/**
 * Run from this workspace's TypeScript sources (not the published JavaScript), an executor is
 * loaded by Nx's `loadTsFile`, which unregisters its compiler as soon as the executor module is
 * in. The libraries load parts lazily (the gateway bundler, the AWS SDK path), so a later
 * `import('@ephenv/gateway')` would find no `.ts` loader: keep one registered, with the
 * workspace's path aliases, as `bin/ephenv.js` does for the CLI.
 */
function keepTypeScriptLoader(workspaceRoot: string) {
  if (!__filename.endsWith('.ts') || require.extensions['.ts']) return;
  const tsconfig = join(workspaceRoot, 'tsconfig.base.json');
  process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || (existsSync(tsconfig) ? tsconfig : join(__dirname, '..', '..', '..', 'tsconfig.base.json'));
  require('@swc-node/register');
}
