import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CONFIG_FILE } from './config';

const SKIPPED = new Set(['node_modules', 'dist', 'tmp', 'fixtures']);
const MAX_DEPTH = 3;

/**
 * The root (relative to the workspace) of a model project, found the way the plugin names projects:
 * the folder holding ephenv.json gives its name. Searched a few levels deep (apps/<model>,
 * services/team/<model>) without starting Nx, so CLI commands stay fast.
 */
export function findModelProjectRoot(workspaceRoot: string, project: string): string | undefined {
  const search = (dir: string, depth: number): string | undefined => {
    if (existsSync(join(dir, project, CONFIG_FILE))) return join(dir, project);
    if (depth === MAX_DEPTH) return undefined;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return undefined;
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || SKIPPED.has(entry.name)) continue;
      const found = search(join(dir, entry.name), depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  const dir = search(workspaceRoot, 0);
  return dir === undefined ? undefined : relative(workspaceRoot, dir);
}
