import type { ExecutorContext } from '@nx/devkit';
import { ensureVenv, modelArtifactDir } from '@ephenv/core';
import { join } from 'node:path';
import { runCommand } from '../run-command';
import { runOnProject } from '../run-on-project';
import type { PytestExecutorSchema } from './schema';

/** `nx run <project>:test`: the model service's pytest suite against the trained model. */
export default function pytestExecutor(options: PytestExecutorSchema, context: ExecutorContext) {
  return runOnProject('test', context, async ({ workspaceRoot, projectRoot, projectDir, project }) => {
    const venv = await ensureVenv(workspaceRoot, projectDir);
    const report = join(workspaceRoot, 'dist', 'test-results', `${project}.xml`);
    const code = await runCommand(
      [venv.python, '-m', 'pytest', 'tests', '-p', 'no:cacheprovider', `--junitxml=${report}`, '-o', `junit_suite_name=${project}`, ...(options.args ?? [])],
      // The tests use the `train` target's artifact (a dependency of this target).
      { cwd: projectDir, env: { ...process.env, EPHENV_MODEL_DIR: modelArtifactDir(workspaceRoot, projectRoot), PYTHONDONTWRITEBYTECODE: '1' } },
    );
    return { success: code === 0 };
  });
}
