import { join } from 'node:path';

/** The part of Nx's ExecutorContext ephenv reads (typed structurally: core does not depend on Nx). */
export interface ExecutorProjectContext {
  root: string;
  projectName?: string;
  projectsConfigurations: { projects: Record<string, { root: string }> };
}

export interface ProjectRef {
  workspaceRoot: string;
  project: string;
  /** Relative to the workspace root, e.g. apps/iris-classifier. */
  projectRoot: string;
  /** Absolute path of the project folder. */
  projectDir: string;
}

/** The project an executor runs for, in the terms ephenv's libraries take. */
export function projectOf(context: ExecutorProjectContext): ProjectRef {
  const project = context.projectName;
  if (!project) throw new Error('this target runs for a project: nx run <project>:<target>');
  const projectRoot = context.projectsConfigurations.projects[project].root;
  return { workspaceRoot: context.root, project, projectRoot, projectDir: join(context.root, projectRoot) };
}
