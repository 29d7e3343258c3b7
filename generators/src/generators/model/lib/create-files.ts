import { generateFiles, joinPathFragments, writeJson, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import { FRAMEWORKS, templateFolders } from '../frameworks';
import { createConfig } from './create-config';
import type { NormalizedModelOptions } from './normalize-options';
import type { TemplateFile } from './run-yeoman-template';

/**
 * With --template the Yeoman output is the container and serving code: ephenv's own server, its
 * Dockerfile, .dockerignore and requirements, and the tests of its server's internals make way for it.
 * tests/test_serve.py stays: it runs the real `serve` against the examples, whoever wrote it.
 */
const REPLACED_BY_TEMPLATE = /^(Dockerfile|\.dockerignore|requirements\.txt|src\/.*|tests\/test_app\.py)$/;

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

/** Files ephenv owns even when the Yeoman output has them: the project and its preview configuration. */
const OWNED_BY_EPHENV = new Set(['ephenv.json', 'project.json']);

/** Replaces ephenv's container and server with the Yeoman generator's output (its files win, but for OWNED_BY_EPHENV). */
function importTemplate(tree: Tree, options: NormalizedModelOptions, imported: TemplateFile[]): void {
  for (const change of tree.listChanges()) {
    const path = change.path.slice(options.projectRoot.length + 1);
    if (change.path.startsWith(`${options.projectRoot}/`) && REPLACED_BY_TEMPLATE.test(path)) tree.delete(change.path);
  }
  for (const file of imported.filter((f) => !OWNED_BY_EPHENV.has(f.path))) {
    const path = joinPathFragments(options.projectRoot, file.path);
    tree.write(path, file.content);
    if (file.executable) tree.changePermissions(path, '755');
  }
}

/**
 * Writes the service: shared files (container, k6, infra, README), the framework's server, ephenv.json;
 * with --template, the Yeoman generator's container and serving code instead of ephenv's.
 */
export function createFiles(tree: Tree, options: NormalizedModelOptions, imported: TemplateFile[] = []): void {
  const framework = FRAMEWORKS[options.framework];
  const substitutions = {
    ...framework.template,
    ...options,
    yeoman: options.yeoman,
    examples: framework.examples,
    systemPackages: framework.systemPackages,
    dockerPipArgs: framework.dockerPipArgs,
    template: '',
  };
  generateFiles(tree, join(__dirname, '..', 'files'), options.projectRoot, substitutions);
  for (const folder of templateFolders(options.framework)) generateFiles(tree, folder, options.projectRoot, substitutions);
  createRootStack(tree, options);
  if (options.yeoman) importTemplate(tree, options, imported);
  // SageMaker runs `serve` from PATH; it must stay executable in the repository and the image.
  tree.changePermissions(joinPathFragments(options.projectRoot, 'src', 'serve'), '755');
  writeJson(tree, joinPathFragments(options.projectRoot, 'ephenv.json'), createConfig(options));
}
