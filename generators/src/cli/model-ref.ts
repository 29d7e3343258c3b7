import { findModelProjectRoot } from '@ephenv/core';
import { OptionsError } from './executor-options';

/** The model a per-model command runs on: its one positional, found like the plugin names projects. */
export function modelRef(workspaceRoot: string, positionals: string[], usage: string) {
  const [name, ...extra] = positionals;
  if (!name) throw new OptionsError(`which model? usage: ${usage}`);
  if (extra.length > 0) throw new OptionsError(`one model at a time; unexpected ${extra.map((a) => `"${a}"`).join(', ')}\nusage: ${usage}`);
  const projectRoot = findModelProjectRoot(workspaceRoot, name);
  if (projectRoot === undefined) {
    throw new Error(`no model project "${name}" (a folder named ${name} with an ephenv.json): check the name, or create it with "npx nx g @ephenv:model ${name}"`);
  }
  return { workspaceRoot, project: name, projectRoot };
}
