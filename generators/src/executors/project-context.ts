import type { ExecutorContext } from '@nx/devkit';
import { join } from 'node:path';

export interface ProjectContext {
  workspaceRoot: string;
  project: string;
  projectRoot: string;
  projectDir: string;
}

/** The project an executor runs for, in the terms ephenv's libraries take. */
export function projectContext(context: ExecutorContext): ProjectContext {
  const project = context.projectName;
  if (!project) throw new Error('this executor runs for a project: nx run <project>:<target>');
  const projectRoot = context.projectsConfigurations.projects[project].root;
  return { workspaceRoot: context.root, project, projectRoot, projectDir: join(context.root, projectRoot) };
}
