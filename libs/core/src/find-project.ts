import { existsSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { CONFIG_FILE } from './config';

const SKIPPED = new Set(['node_modules', 'dist', 'tmp', 'fixtures']);
/** apps/<model>, services/team/<model>, down to four folders below the workspace root. */
const MAX_DEPTH = 4;

/**
 * The roots (relative to the workspace) of every model project: the folders holding an
 * ephenv.json (as the plugin's createNodes finds them), without starting Nx so CLI commands stay
 * fast. Hidden folders, node_modules, dist, tmp and fixtures are skipped. Depth-first, in name order.
 */
export function modelProjectRoots(workspaceRoot: string): string[] {
  const roots: string[] = [];
  const visit = (dir: string, depth: number) => {
    if (depth > 0 && existsSync(join(dir, CONFIG_FILE))) roots.push(relative(workspaceRoot, dir));
    if (depth === MAX_DEPTH) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED.has(entry.name)) visit(join(dir, entry.name), depth + 1);
    }
  };
  visit(workspaceRoot, 0);
  return roots;
}

/** The root of the model project named `project` (the folder holding its ephenv.json gives the name). */
export function findModelProjectRoot(workspaceRoot: string, project: string): string | undefined {
  return modelProjectRoots(workspaceRoot).find((root) => basename(root) === project);
}
