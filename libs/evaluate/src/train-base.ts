import { venvsDir, type Logger } from '@ephenv/core';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** How the base's `train` target ended: read from Nx's cache, or trained. */
export interface BaseTraining {
  cached: boolean;
  ms: number;
}

/** Nx's marks of a task whose outputs came from its cache (the task line of `nx run`). */
const CACHE_HIT = /\[(local cache|remote cache|existing outputs match the cache, left as is)\]/;

// What Nx sets for the task it is running (this evaluate); the base's `nx run` is a new run in
// another workspace, not a nested task: with them it would take the workspace root from
// NX_WORKSPACE_ROOT_PATH and could mistake `train` for a loop (NX_INVOCATION_ROOT_PID).
const TASK_VARIABLES = /^NX_(TASK_|TERMINAL_|WORKSPACE_ROOT|INVOCATION_ROOT_PID$|STREAM_OUTPUT$|PREFIX_OUTPUT$|SET_CLI$)|^LERNA_PACKAGE_NAME$/;

/** Whether the workspace has Nx installed (its node_modules), so the base can be trained through it. */
export function nxInstalled(workspaceRoot: string): boolean {
  try {
    createRequire(join(workspaceRoot, 'package.json')).resolve('nx/package.json');
    return true;
  } catch {
    return false;
  }
}

function nxBin(workspaceRoot: string): string {
  let manifest: string;
  try {
    manifest = createRequire(join(workspaceRoot, 'package.json')).resolve('nx/package.json');
  } catch {
    throw new Error(`nx is not installed in ${workspaceRoot}: the base's train target runs through Nx; run npm install, or pass --baselineUrl`);
  }
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: { nx?: string } }).bin?.nx ?? 'bin/nx.js';
  return join(dirname(manifest), bin);
}

function baseEnv(workspaceRoot: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!TASK_VARIABLES.test(key)) env[key] = value;
  // A relative cache directory would land in the worktree and go with it.
  if (env.NX_CACHE_DIRECTORY && !isAbsolute(env.NX_CACHE_DIRECTORY)) env.NX_CACHE_DIRECTORY = resolve(workspaceRoot, env.NX_CACHE_DIRECTORY);
  // A daemon started here would outlive the worktree; colour codes would hide the cache mark.
  return { ...env, NX_DAEMON: 'false', NX_TUI: 'false', FORCE_COLOR: '0', PYTHONDONTWRITEBYTECODE: '1' };
}

/**
 * Runs `nx run <project>:train` in the base's worktree, so the base's model comes from Nx's cache
 * whenever that base was trained before (Nx 23 shares the cache between the checkouts of one
 * repository). The worktree borrows the workspace's node_modules and virtualenvs: the base is
 * trained with the workspace's installed Nx and the venv of the base's own requirements.
 * NX_SKIP_NX_CACHE is passed on as the user set it (`--skip-nx-cache` sets it).
 */
export function trainBase(workspaceRoot: string, tree: string, project: string, log: Logger): Promise<BaseTraining> {
  const bin = nxBin(workspaceRoot);
  if (!existsSync(join(tree, 'node_modules'))) symlinkSync(join(workspaceRoot, 'node_modules'), join(tree, 'node_modules'), 'dir');
  mkdirSync(venvsDir(workspaceRoot), { recursive: true });
  mkdirSync(dirname(venvsDir(tree)), { recursive: true });
  if (!existsSync(venvsDir(tree))) symlinkSync(venvsDir(workspaceRoot), venvsDir(tree), 'dir');
  const started = performance.now();
  const args = [bin, 'run', `${project}:train`, '--outputStyle=static'];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: tree, stdio: ['ignore', 'pipe', 'pipe'], env: baseEnv(workspaceRoot) });
    let out = '';
    const keep = (c: Buffer) => {
      out = (out + c.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', fail);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) {
        // The task's own output (train.py's error), not the summary Nx prints after it.
        const summary = out.search(/^\s*NX\s+Running target/m);
        const task = (summary > 0 ? out.slice(0, summary) : out).trim().split('\n').slice(-15).join('\n');
        fail(new Error(`training the base's model failed: nx run ${project}:train exited ${code} in the base's worktree:\n${task}`));
        return;
      }
      const cached = CACHE_HIT.test(out);
      log.info(`nx run ${project}:train ${cached ? "read from Nx's cache" : 'trained'} in ${(ms / 1000).toFixed(1)} s`);
      done({ cached, ms });
    });
  });
}

/**
 * Where Nx is not installed (a repository that has not run `npm install`, or holds only model
 * folders): the base's train.py, run directly in the virtualenv of the base's requirements into
 * `output`. Nothing is cached; the log says so.
 */
export function trainDirectly(python: string, projectDir: string, output: string, log: Logger): Promise<BaseTraining> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(python, [join(projectDir, 'train.py'), '--output', output], { cwd: projectDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    let out = '';
    const keep = (c: Buffer) => {
      out = (out + c.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', fail);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) {
        fail(new Error(`training the base's model failed: train.py exited ${code}:\n${out.trim().split('\n').slice(-15).join('\n')}`));
        return;
      }
      log.info(`Nx is not installed here (no node_modules/nx): train.py run directly, not cached, in ${(ms / 1000).toFixed(1)} s`);
      done({ cached: false, ms });
    });
  });
}
