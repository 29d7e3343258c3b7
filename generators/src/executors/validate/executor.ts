import type { ExecutorContext } from '@nx/devkit';
import { runValidate } from '@ephenv/validate';
import type { ValidateExecutorSchema } from './schema';

/** `nx run <project>:validate`: static, compatibility and live checks of a model service. */
export default async function runExecutor(options: ValidateExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const project = context.projectName;
  const projectRoot = project ? context.projectsConfigurations.projects[project]?.root : undefined;
  if (!project || projectRoot === undefined) {
    throw new Error('validate runs on a project: nx run <project>:validate');
  }
  const base = options.base || process.env.NX_BASE || context.nxJsonConfiguration?.defaultBase || undefined;
  const { success } = await runValidate({ ...options, ...(base && { base }) }, { workspaceRoot: context.root, projectRoot, project });
  return { success };
}
