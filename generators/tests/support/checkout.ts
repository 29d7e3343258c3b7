import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { processesMentioning } from '@ephenv/core';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..', '..');
const SKIP = /(^|\/)(node_modules|dist|\.ephenv|\.nx|\.git|__pycache__|\.terraform|tmp)(\/|$)/;

/** A clean checkout of this workspace in a temporary git repository, sharing node_modules and virtualenvs. */
export function cleanCheckout(): string {
  const root = mkdtempSync(join(tmpdir(), 'ephenv-e2e-'));
  const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !SKIP.test(f) && existsSync(join(REPO, f)));
  for (const file of tracked) cpSync(join(REPO, file), join(root, file));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  mkdirSync(join(root, '.ephenv'));
  mkdirSync(join(REPO, '.ephenv', 'venvs'), { recursive: true });
  symlinkSync(join(REPO, '.ephenv', 'venvs'), join(root, '.ephenv', 'venvs'));
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  return root;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=ephenv', '-c', 'user.email=ci@ephenv.dev', ...args], { cwd, encoding: 'utf8' });
}

export const ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_SKIP_NX_CACHE: 'true', CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' };

export function nx(cwd: string, ...args: string[]) {
  const result = spawnSync(join(cwd, 'node_modules', '.bin', 'nx'), args, { cwd, encoding: 'utf8', env: ENV });
  return { code: result.status, out: `${result.stdout}\n${result.stderr}` };
}

/** The `ephenv` CLI as `npx ephenv` runs it in that checkout. */
export function ephenv(cwd: string, ...args: string[]) {
  return ephenvWith({}, cwd, ...args);
}

/** `ephenv` with extra environment variables (credentials, endpoints) for this run only. */
export function ephenvWith(env: Record<string, string>, cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(cwd, 'generators', 'bin', 'ephenv.js'), ...args], { cwd, encoding: 'utf8', env: { ...ENV, ...env } });
  return { code: result.status, out: `${result.stdout}\n${result.stderr}` };
}

/**
 * Processes whose command line mentions the checkout: a finished lifecycle leaves none (Nx's own
 * plugin workers, which exit by themselves after a command, aside).
 */
export function processesOf(root: string): string[] {
  return processesMentioning(root).filter((line) => !line.includes('plugin-worker.js'));
}

/** `ephenv` without blocking this process: servers the test runs (a fake GitHub) keep answering. */
export function ephenvAsync(env: Record<string, string>, cwd: string, ...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(cwd, 'generators', 'bin', 'ephenv.js'), ...args], { cwd, env: { ...ENV, ...env } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}
