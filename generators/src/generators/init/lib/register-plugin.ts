import { readJson, readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { DEFAULT_SHARED_PROJECTS } from '../../../plugin/create-nodes';

/** The plugin as the published package names it. */
export const PLUGIN = '@ephenv/nx';
/** The plugin as this template workspace names it, through the tsconfig path alias of its sources. */
export const TEMPLATE_PLUGIN = '@ephenv';

/** A workspace started from the ephenv template has the plugin's sources behind a path alias. */
function hasTemplateAlias(tree: Tree): boolean {
  if (!tree.exists('tsconfig.base.json')) return false;
  const paths = readJson(tree, 'tsconfig.base.json').compilerOptions?.paths ?? {};
  return TEMPLATE_PLUGIN in paths;
}

/**
 * Adds the plugin to nx.json's plugins (inferred targets for every ephenv.json), once. A workspace
 * that installed @ephenv/nx has no gateway project: its models depend on the copied preview-stack alone.
 */
export function registerPlugin(tree: Tree): void {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  if (plugins.some((p) => [PLUGIN, TEMPLATE_PLUGIN].includes(typeof p === 'string' ? p : p.plugin))) return;
  const entry = hasTemplateAlias(tree)
    ? TEMPLATE_PLUGIN
    : { plugin: PLUGIN, options: { sharedProjects: DEFAULT_SHARED_PROJECTS.filter((p) => p === 'preview-stack') } };
  updateNxJson(tree, { ...nxJson, plugins: [...plugins, entry] });
}
