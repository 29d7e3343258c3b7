import { writeJson, type Tree } from '@nx/devkit';
import { defaultPolicy, POLICY_FILE } from '@ephenv/core';

/** Where the policy's JSON Schema is in a workspace started from the ephenv template. */
const SCHEMA = 'libs/core/ephenv.policy.schema.json';

/**
 * Writes the workspace preview policy with the schema's defaults when there is none; a team's own
 * policy is never touched. It lives at the root, outside every model folder, and CI reads it from
 * the base branch, so a pull request cannot raise its own limits.
 */
export function addPolicy(tree: Tree): void {
  if (tree.exists(POLICY_FILE)) return;
  writeJson(tree, POLICY_FILE, { ...(tree.exists(SCHEMA) && { $schema: `./${SCHEMA}` }), ...defaultPolicy() });
}
