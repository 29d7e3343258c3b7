import { generateFiles, joinPathFragments, writeJson, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import { FRAMEWORKS } from '../frameworks';
import { createConfig } from './create-config';
import type { NormalizedModelOptions } from './normalize-options';

/**
 * The root stack every model gets is the preview-stack module's example root (the one its tests
 * apply), from the workspace's copy of the module (init puts it there), with the module's path as
 * seen from this project's infra/ folder.
 */
const ROOT_STACK = 'libs/infra/preview-stack/examples/root';
const MODULE_SOURCE = 'source = "../../../libs/infra/preview-stack"';

function createRootStack(tree: Tree, options: NormalizedModelOptions): void {
  if (!tree.exists(ROOT_STACK)) throw new Error(`${ROOT_STACK} is missing: restore the preview-stack module (delete libs/infra/preview-stack and run nx g @ephenv/nx:init)`);
  for (const file of tree.children(ROOT_STACK).filter((f) => f.endsWith('.tf')).sort()) {
    const content = tree.read(`${ROOT_STACK}/${file}`, 'utf-8') ?? '';
    if (file === 'main.tf' && !content.includes(MODULE_SOURCE)) throw new Error(`${ROOT_STACK}/${file} no longer has '${MODULE_SOURCE}': update createRootStack`);
    tree.write(joinPathFragments(options.projectRoot, 'infra', file), content.replace(MODULE_SOURCE, `source = "${options.offset}../libs/infra/preview-stack"`));
  }
}

/** Writes the service: shared files (container, k6, infra, README), the framework's server, ephenv.json. */
export function createFiles(tree: Tree, options: NormalizedModelOptions): void {
  const framework = FRAMEWORKS[options.framework];
  const substitutions = { ...options, examples: framework.examples, template: '' };
  generateFiles(tree, join(__dirname, '..', 'files'), options.projectRoot, substitutions);
  generateFiles(tree, framework.files, options.projectRoot, substitutions);
  createRootStack(tree, options);
  // SageMaker runs `serve` from PATH; it must stay executable in the repository and the image.
  tree.changePermissions(joinPathFragments(options.projectRoot, 'src', 'serve'), '755');
  writeJson(tree, joinPathFragments(options.projectRoot, 'ephenv.json'), createConfig(options));
}
