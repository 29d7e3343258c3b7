import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { terraformStateDir } from '../terraform/cli-config';

export const previewModuleDir = (workspaceRoot: string) => join(workspaceRoot, 'libs', 'infra', 'preview-stack');

/** A model's root stack: `<projectRoot>/infra`, which the model generator creates. */
export function modelStackRoot(workspaceRoot: string, project: string, projectRoot: string): string {
  const dir = join(workspaceRoot, projectRoot, 'infra');
  if (!existsSync(join(dir, 'main.tf'))) {
    throw new Error(`${project} has no Terraform root stack in ${join(projectRoot, 'infra')}: restore it from git, or re-create it with "nx g @ephenv:model ${project}"`);
  }
  return dir;
}

/**
 * A root stack to destroy the preview of a model whose folder is gone from this checkout: a copy
 * of the preview-stack's example root (what the model generator writes), its module source
 * pointed at this workspace's libs/infra/preview-stack. Its state key still names the model.
 */
export function stagedStackRoot(workspaceRoot: string, project: string): string {
  const example = join(previewModuleDir(workspaceRoot), 'examples', 'root');
  if (!existsSync(join(example, 'main.tf'))) {
    throw new Error(
      `the folder of ${project} is gone, and this workspace has no ${example} to destroy its preview with: ` +
        `restore the folder (git checkout <ref> -- <its path>) and run again, or leave it to the reaper (it removes previews after ExpiresAt)`,
    );
  }
  const dir = join(terraformStateDir(workspaceRoot), 'stacks', project);
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(example).filter((f) => f.endsWith('.tf'))) {
    cpSync(join(example, file), join(dir, file));
  }
  const main = join(dir, 'main.tf');
  const source = readFileSync(main, 'utf8').replace(/source\s*=\s*"[^"]*preview-stack"/, `source = ${JSON.stringify(previewModuleDir(workspaceRoot))}`);
  writeFileSync(main, source);
  return dir;
}
