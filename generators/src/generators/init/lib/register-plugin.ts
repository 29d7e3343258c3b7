import { readNxJson, updateNxJson, type Tree } from '@nx/devkit';

export const PLUGIN = '@ephenv';

/** Adds @ephenv to nx.json's plugins (inferred targets for every ephenv.json), once. */
export function registerPlugin(tree: Tree): void {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  if (plugins.some((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN)) return;
  updateNxJson(tree, { ...nxJson, plugins: [...plugins, PLUGIN] });
}
