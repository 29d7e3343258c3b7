// The lifecycle entry point, not the library's index: that one also exports the aws provider and
// the reaper, which load the AWS SDK; a local deploy needs neither.
import { deployPreview, destroyPreview, type DeployOptions, type DestroyOptions } from '@ephenv/preview/lifecycle';
import { parseExecutorOptions } from '../executor-options';
import { modelRef } from '../model-ref';
import { DEPLOY_USAGE, DESTROY_MODEL_USAGE } from '../usage';

/** `ephenv deploy <model>`: `nx run <model>:deploy-preview` for people and scripts outside Nx. */
export async function deployCommand(workspaceRoot: string, args: string[]): Promise<number> {
  const { positionals, options } = parseExecutorOptions<DeployOptions>('deploy-preview', args, DEPLOY_USAGE);
  const ref = modelRef(workspaceRoot, positionals, DEPLOY_USAGE);
  try {
    await deployPreview(ref, options);
    return 0;
  } catch (e) {
    console.error(`ephenv: deploy of ${ref.project} failed: ${(e as Error).message}`);
    return 1;
  }
}

/** `ephenv destroy <model>`: `nx run <model>:destroy-preview` outside Nx. */
export async function destroyModelCommand(workspaceRoot: string, args: string[]): Promise<number> {
  const { positionals, options } = parseExecutorOptions<DestroyOptions>('destroy-preview', args, DESTROY_MODEL_USAGE);
  const ref = modelRef(workspaceRoot, positionals, DESTROY_MODEL_USAGE);
  try {
    await destroyPreview(ref, options);
    return 0;
  } catch (e) {
    console.error(`ephenv: destroy of ${ref.project} failed: ${(e as Error).message}`);
    return 1;
  }
}
