import type { ExecutorContext } from '@nx/devkit';
import { ensureVenv, modelArtifactDir, projectOf } from '@ephenv/core';
import { join, resolve } from 'node:path';
import { runCommand } from '../run-command';
import type { TrainExecutorSchema } from './schema';

export default async function trainExecutor(options: TrainExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { workspaceRoot, projectRoot, projectDir, project } = projectOf(context);
  const output = options.outputPath ? resolve(workspaceRoot, options.outputPath) : modelArtifactDir(workspaceRoot, projectRoot);
  const venv = await ensureVenv(workspaceRoot, projectDir);
  const code = await runCommand([venv.python, join(projectDir, 'train.py'), '--output', output], { cwd: projectDir });
  if (code !== 0) console.error(`ephenv: training ${project} failed (exit ${code}); see train.py's output above`);
  return { success: code === 0 };
}
