import { join } from 'node:path';

/** Where ephenv keeps machine-local state (gitignored). */
export const stateDir = (workspaceRoot: string) => join(workspaceRoot, '.ephenv');
export const previewsDir = (workspaceRoot: string) => join(stateDir(workspaceRoot), 'previews');
export const venvsDir = (workspaceRoot: string) => join(stateDir(workspaceRoot), 'venvs');
export const logsDir = (workspaceRoot: string, project: string) => join(stateDir(workspaceRoot), 'logs', project);
/** The trained model artifact of a project (output of its cached `train` target). */
export const modelArtifactDir = (workspaceRoot: string, projectRoot: string) => join(workspaceRoot, 'dist', projectRoot, 'model');
