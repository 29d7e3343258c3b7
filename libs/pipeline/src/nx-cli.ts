import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface NxRun {
  code: number;
  output: string;
}

/** Runs the workspace's own Nx CLI (argv, no shell); output is shown live and kept for parsing. */
export function runNx(workspaceRoot: string, args: string[], options: { quiet?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<NxRun> {
  const nx = require.resolve('nx/bin/nx', { paths: [workspaceRoot] });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nx, ...args], {
      cwd: workspaceRoot,
      env: { ...process.env, NX_DAEMON: process.env.NX_DAEMON ?? 'false', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      if (!options.quiet) stream.write(chunk);
    };
    child.stdout.on('data', collect(process.stdout));
    child.stderr.on('data', collect(process.stderr));
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.once('SIGINT', forward).once('SIGTERM', forward);
    child.on('error', (e) => reject(new Error(`cannot run nx (${join('node_modules', '.bin', 'nx')}): ${e.message}`)));
    child.on('close', (code) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      resolve({ code: code ?? 1, output });
    });
  });
}

/** Model projects: every project with a deploy-preview target, or only those affected between base and head. */
export async function modelProjects(workspaceRoot: string, selection: { all: boolean; base?: string; head?: string }): Promise<string[]> {
  const args = ['show', 'projects', '--withTarget=deploy-preview', '--json'];
  if (!selection.all) {
    args.push('--affected');
    if (selection.base) args.push(`--base=${selection.base}`);
    if (selection.head) args.push(`--head=${selection.head}`);
  }
  const run = await runNx(workspaceRoot, args, { quiet: true });
  const json = run.output.slice(run.output.indexOf('['), run.output.lastIndexOf(']') + 1);
  if (run.code !== 0 || !json) throw new Error(`could not list the model projects (nx ${args.join(' ')}):\n${run.output.trim()}`);
  return (JSON.parse(json) as string[]).sort();
}
