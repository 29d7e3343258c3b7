import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAtRef, refExists } from './git';
import { parsePolicy, POLICY_FILE, PolicyError, type PreviewPolicy } from './policy';

/** Where the policy in force was read from. */
export interface PolicySource {
  /** The git ref it was read from; undefined for the working tree (local use, no base branch). */
  ref?: string;
  /** True when no policy file exists there: the schema's defaults apply. */
  defaults: boolean;
  /** "ephenv.policy.json at origin/main", "ephenv.policy.json in the working tree", ... */
  description: string;
}

export interface LoadedPolicy {
  policy: PreviewPolicy;
  source: PolicySource;
}

export interface ReadPolicyOptions {
  /** The base branch (`--base`); else GITHUB_BASE_REF, else NX_BASE; none for local use. */
  base?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The ref to read the policy from: `--base`, else the pull request's base branch in GitHub Actions
 * (GITHUB_BASE_REF), else the Nx base (NX_BASE). A branch name is read from `origin/<branch>` when
 * that exists: the remote's tip is the policy the base branch accepted, a local branch of that
 * name may be anything.
 */
export function policyRef(workspaceRoot: string, options: ReadPolicyOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  const base = options.base || env.GITHUB_BASE_REF || env.NX_BASE || undefined;
  if (base === undefined) return undefined;
  const remote = `origin/${base}`;
  if (!base.startsWith('origin/') && refExists(workspaceRoot, remote)) return remote;
  return base;
}

/**
 * The workspace preview policy as the base branch has it: `git show <base>:ephenv.policy.json`,
 * so that a pull request that edits the file in its own tree does not change its own limits.
 * Without a base (local use) the working tree's file; without any file, the schema's defaults.
 * A base that git does not know is an error, never a fall back to the pull request's own file.
 */
export function readPolicy(workspaceRoot: string, options: ReadPolicyOptions = {}): LoadedPolicy {
  const ref = policyRef(workspaceRoot, options);
  if (ref === undefined) {
    const file = join(workspaceRoot, POLICY_FILE);
    if (!existsSync(file)) return defaults(undefined, `no ${POLICY_FILE} in the working tree; no base branch: local use`);
    const where = `${POLICY_FILE} in the working tree (no base branch: local use)`;
    return { policy: parsePolicy(readFileSync(file, 'utf8'), where), source: { defaults: false, description: where } };
  }
  if (!refExists(workspaceRoot, ref)) {
    throw new PolicyError(
      `cannot read the preview policy: the base "${ref}" is not a commit of this repository. ` +
        `Fetch it (git fetch origin ${ref.replace(/^origin\//, '')}; in CI check out with fetch-depth: 0) or pass --base=<ref>.`,
    );
  }
  const text = readAtRef(workspaceRoot, ref, POLICY_FILE);
  if (text === undefined) return defaults(ref, `no ${POLICY_FILE} at ${ref}`);
  const where = `${POLICY_FILE} at ${ref}`;
  return { policy: parsePolicy(text, where), source: { ref, defaults: false, description: where } };
}

function defaults(ref: string | undefined, why: string): LoadedPolicy {
  return { policy: parsePolicy(undefined, why), source: { ...(ref && { ref }), defaults: true, description: `the default preview policy (${why})` } };
}
