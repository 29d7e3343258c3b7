import type { ExecutorContext } from '@nx/devkit';
import { ensureVenv, modelArtifactDir } from '@ephenv/core';
import { join, resolve } from 'node:path';
import { runCommand } from '../run-command';
import { runOnProject } from '../run-on-project';
import type { TrainExecutorSchema } from './schema';

/** `nx run <project>:train`: the project's train.py in its virtualenv. */
export default function trainExecutor(options: TrainExecutorSchema, context: ExecutorContext) {
  return runOnProject('train', context, async ({ workspaceRoot, projectRoot, projectDir, project }, log) => {
    const output = options.outputPath ? resolve(workspaceRoot, options.outputPath) : modelArtifactDir(workspaceRoot, projectRoot);
    const venv = await ensureVenv(workspaceRoot, projectDir);
    const code = await runCommand([venv.python, join(projectDir, 'train.py'), '--output', output], { cwd: projectDir });
    if (code !== 0) log.error(`ephenv: train of ${project} failed (exit ${code}); see train.py's output above`);
    return { success: code === 0 };
  });
}
