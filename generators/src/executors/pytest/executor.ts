import type { ExecutorContext } from '@nx/devkit';
import { ensureVenv, modelArtifactDir, projectOf } from '@ephenv/core';
import { join } from 'node:path';
import { runCommand } from '../run-command';
import type { PytestExecutorSchema } from './schema';

export default async function pytestExecutor(options: PytestExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { workspaceRoot, projectRoot, projectDir, project } = projectOf(context);
  const venv = await ensureVenv(workspaceRoot, projectDir);
  const report = join(workspaceRoot, 'dist', 'test-results', `${project}.xml`);
  const code = await runCommand(
    [venv.python, '-m', 'pytest', 'tests', '-p', 'no:cacheprovider', `--junitxml=${report}`, '-o', `junit_suite_name=${project}`, ...(options.args ?? [])],
    // The tests use the `train` target's artifact (a dependency of this target).
    { cwd: projectDir, env: { ...process.env, EPHENV_MODEL_DIR: modelArtifactDir(workspaceRoot, projectRoot), PYTHONDONTWRITEBYTECODE: '1' } },
  );
  return { success: code === 0 };
}
