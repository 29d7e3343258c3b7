import { generateFiles, type Tree } from '@nx/devkit';
import { join } from 'node:path';

export const WORKFLOW_VERSIONS = { nodeVersion: '24', pythonVersion: '3.11', terraformVersion: '1.11.4' };

/** Writes the ephenv workflows that are missing; a workflow the team already has is left as it is. */
export function addWorkflows(tree: Tree): void {
  const dir = '.github/workflows';
  const kept = new Map<string, Buffer>();
  for (const file of tree.exists(dir) ? tree.children(dir) : []) {
    const content = tree.read(`${dir}/${file}`);
    if (content) kept.set(`${dir}/${file}`, content);
  }
  generateFiles(tree, join(__dirname, '..', 'files'), '.', { ...WORKFLOW_VERSIONS, template: '' });
  for (const [path, content] of kept) tree.write(path, content);
}
