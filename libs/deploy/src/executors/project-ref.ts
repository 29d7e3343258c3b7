import type { ExecutorContext } from '@nx/devkit';
import type { ProjectRef } from '../deploy';

export function projectRef(context: ExecutorContext): ProjectRef {
  const project = context.projectName;
  if (!project) throw new Error('run it for a project: nx run <project>:<target>');
  return { workspaceRoot: context.root, project, projectRoot: context.projectsConfigurations.projects[project].root };
}
