import type { ExecutorContext } from '@nx/devkit';
import { join } from 'node:path';
import { stateDir } from '@ephenv/core';
import { terraformEnv, withInitLock } from '@ephenv/preview';

import { runCommand } from '../run-command';
import { runOnProject } from '../run-on-project';
import type { InfraValidateExecutorSchema } from './schema';

const PREVIEW_STACK = join('libs', 'infra', 'preview-stack');

/** `nx run <project>:infra-validate`: terraform fmt -check, init and validate of the preview stack, offline. */
export default function infraValidateExecutor(_options: InfraValidateExecutorSchema, context: ExecutorContext) {
  return runOnProject('infra-validate', context, async ({ workspaceRoot, projectDir, projectRoot, project }, log) => {
    const infra = join(projectDir, 'infra');
    const env = {
      ...process.env,
      ...terraformEnv(workspaceRoot),
      // Keeps .terraform/ out of the project: validation needs providers and modules, not state.
      TF_DATA_DIR: join(stateDir(workspaceRoot), 'terraform', 'validate', project),
    };
    const steps: [string, string[], string][] = [
      ['fmt', ['terraform', 'fmt', '-check', '-recursive', '-diff', infra, join(workspaceRoot, PREVIEW_STACK)], `run "terraform fmt -recursive ${join(projectRoot, 'infra')} ${PREVIEW_STACK}" and commit the result`],
      ['init', ['terraform', `-chdir=${infra}`, 'init', '-backend=false', '-input=false', '-no-color'], 'the provider could not be installed offline: set EPHENV_TF_PROVIDER_MIRROR to a filesystem mirror holding registry.terraform.io/hashicorp/aws'],
      ['validate', ['terraform', `-chdir=${infra}`, 'validate', '-no-color'], 'fix the errors above in the stack'],
    ];
    for (const [name, argv, fix] of steps) {
      let code: number;
      try {
        // Parallel inits (one per model) must not race on a shared provider cache.
        code = name === 'init' ? await withInitLock(workspaceRoot, () => runCommand(argv, { cwd: workspaceRoot, env })) : await runCommand(argv, { cwd: workspaceRoot, env });
      } catch (e) {
        log.error(`ephenv: ${(e as Error).message.includes('ENOENT') ? 'terraform is not on PATH: install Terraform 1.11 or newer (https://developer.hashicorp.com/terraform/install)' : (e as Error).message}`);
        return { success: false };
      }
      if (code !== 0) {
        log.error(`ephenv: terraform ${name} failed for ${project}: ${fix}`);
        return { success: false };
      }
    }
    return { success: true };
  });
}
