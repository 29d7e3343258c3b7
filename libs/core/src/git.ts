import { execFileSync } from 'node:child_process';

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The commit being previewed: GITHUB_SHA in CI, else HEAD, else `unknown` outside git. */
export function gitSha(cwd: string): string {
  return process.env.GITHUB_SHA || git(cwd, ['rev-parse', 'HEAD']) || 'unknown';
}

/** A file's content at a git ref, read without a checkout; undefined when it does not exist there. */
export function readAtRef(cwd: string, ref: string, path: string): string | undefined {
  return git(cwd, ['show', `${ref}:${path}`]);
}

export function refExists(cwd: string, ref: string): boolean {
  return git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) !== undefined;
}
