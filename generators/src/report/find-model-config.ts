import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CONFIG_FILE, loadModelConfig, type ModelConfig } from '@ephenv/core';

const SKIPPED = new Set(['node_modules', 'dist', 'tmp']);
const MAX_DEPTH = 3;

/**
 * The ephenv.json of a model project, found the way the plugin names projects (the folder holding
 * ephenv.json gives its name), searched a few levels deep (apps/<model>, services/team/<model>).
 * The report reads it for what preview.json does not hold: instance type, memory size, TTL.
 */
export function findModelConfig(workspaceRoot: string, project: string): ModelConfig | undefined {
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
  const projectDir = search(workspaceRoot, 0);
  if (!projectDir) return undefined;
  try {
    return loadModelConfig(workspaceRoot, relative(workspaceRoot, projectDir));
  } catch {
    // An invalid ephenv.json is validate's finding to report, not a reason to fail the report.
    return undefined;
  }
}
