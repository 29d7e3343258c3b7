import { type Tree } from '@nx/devkit';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Where the Terraform modules live in a workspace, as the providers and executors expect them. */
export const INFRA_DIR = 'libs/infra';
export const INFRA_MODULES = ['preview-stack', 'bootstrap'];

/**
 * The modules' folder: `infra/` in the published package, `libs/infra` beside the plugin's
 * sources in this template workspace (this file is at the same depth in both).
 */
export function packagedInfraDir(): string {
  const packageRoot = join(__dirname, '..', '..', '..', '..');
  const packaged = join(packageRoot, 'infra');
  return existsSync(packaged) ? packaged : join(packageRoot, '..', INFRA_DIR);
}

function* filesUnder(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

/**
 * Copies the Terraform modules into the workspace (libs/infra/<module>) when it has none: each
 * model's infra/ references the module by a relative path, bootstrap reads the workspace's
 * ephenv.policy.json three folders up, and Nx sees the module as a project, so a change to it
 * affects every model. A module already there is the team's and is never overwritten.
 */
export function addInfraModules(tree: Tree): void {
  const source = packagedInfraDir();
  for (const module of INFRA_MODULES) {
    const target = `${INFRA_DIR}/${module}`;
    if (tree.exists(target)) continue;
    const from = join(source, module);
    if (!existsSync(from)) throw new Error(`the Terraform module ${module} is missing from ${source}: reinstall @ephenv/nx (npm install @ephenv/nx)`);
    for (const file of filesUnder(from)) tree.write(`${target}/${relative(from, file).split('\\').join('/')}`, readFileSync(file));
  }
}
