import type { ExecutorContext } from '@nx/devkit';
import { runEvaluate } from '@ephenv/evaluate';
import type { EvaluateExecutorSchema } from './schema';

/** `nx run <project>:evaluate`: the PR's preview against the base ref's model. */
export default async function runExecutor(options: EvaluateExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const project = context.projectName;
  const projectRoot = project ? context.projectsConfigurations.projects[project]?.root : undefined;
  if (!project || projectRoot === undefined) throw new Error('evaluate runs on a project: nx run <project>:evaluate');
  const base = options.base || process.env.NX_BASE || context.nxJsonConfiguration?.defaultBase || undefined;
  const { success } = await runEvaluate({ ...options, ...(base && { base }) }, { workspaceRoot: context.root, projectRoot, project });
  return { success };
}
