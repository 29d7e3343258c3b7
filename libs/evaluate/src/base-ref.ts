import { readAtRef, refExists } from '@ephenv/core';

/** Whether the model exists on the base ref (its ephenv.json is there). */
export function existsOnBase(workspaceRoot: string, base: string, projectRoot: string): boolean {
  if (!refExists(workspaceRoot, base)) throw new Error(`base ref "${base}" not found in this repository; fetch it (git fetch origin ${base}) or pass --base`);
  return readAtRef(workspaceRoot, base, `${projectRoot}/ephenv.json`) !== undefined;
}
