import { findModelProjectRoot, loadModelConfig, type ModelConfig } from '@ephenv/core';

/** The ephenv.json of a model project: the report reads it for what preview.json does not hold (instance type, memory, TTL). */
export function findModelConfig(workspaceRoot: string, project: string): ModelConfig | undefined {
  const projectRoot = findModelProjectRoot(workspaceRoot, project);
  if (projectRoot === undefined) return undefined;
  try {
    return loadModelConfig(workspaceRoot, projectRoot);
  } catch {
    // An invalid ephenv.json is validate's finding to report, not a reason to fail the report.
    return undefined;
  }
}
