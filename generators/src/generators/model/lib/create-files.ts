import { generateFiles, joinPathFragments, writeJson, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import { FRAMEWORKS } from '../frameworks';
import { createConfig } from './create-config';
import type { NormalizedModelOptions } from './normalize-options';

/** Writes the service: shared files (container, k6, infra, README), the framework's server, ephenv.json. */
export function createFiles(tree: Tree, options: NormalizedModelOptions): void {
  const framework = FRAMEWORKS[options.framework];
  const substitutions = { ...options, examples: framework.examples, infraOffset: `${options.offset}../`, template: '' };
  generateFiles(tree, join(__dirname, '..', 'files'), options.projectRoot, substitutions);
  generateFiles(tree, framework.files, options.projectRoot, substitutions);
  // SageMaker runs `serve` from PATH; it must stay executable in the repository and the image.
  tree.changePermissions(joinPathFragments(options.projectRoot, 'src', 'serve'), '755');
  writeJson(tree, joinPathFragments(options.projectRoot, 'ephenv.json'), createConfig(options));
}
