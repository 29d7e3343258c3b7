import { formatFiles, type Tree } from '@nx/devkit';
import { WORKFLOW_VERSIONS } from '../../generators/init/lib/add-workflows';

/** The workflows init writes; a team's other workflows are theirs. */
export const EPHENV_WORKFLOWS = ['ci.yml', 'ephemeral-env.yml', 'reaper.yml'].map((f) => `.github/workflows/${f}`);

// `node-version: 20`, '20', "20", 20.x: what earlier versions of init wrote or a team may have typed.
const NODE_20 = /^(\s*node-version:\s*)(['"]?)20(\.x)?\2(\s*(#.*)?)$/gm;

/**
 * Node 20 reached end-of-life in April 2026 and GitHub's runners drop it: the ephenv workflows move
 * to the LTS init writes now. Only `node-version` lines that say 20 change; the rest of each file,
 * comments included, stays as the team left it.
 */
export default async function updateWorkflowsToNode24(tree: Tree): Promise<void> {
  for (const path of EPHENV_WORKFLOWS.filter((p) => tree.exists(p))) {
    const before = tree.read(path, 'utf-8') ?? '';
    const after = before.replace(NODE_20, (_, key: string, quote: string, _x, rest: string) => `${key}${quote || "'"}${WORKFLOW_VERSIONS.nodeVersion}${quote || "'"}${rest}`);
    if (after !== before) tree.write(path, after);
  }
  await formatFiles(tree);
}
