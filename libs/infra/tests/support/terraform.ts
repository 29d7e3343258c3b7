import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withInitLock } from '@ephenv/preview';
import { STEP_TIMEOUT_MS } from './budget';

export const workspaceRoot = resolve(__dirname, '../../../..');
export const infraDir = join(workspaceRoot, 'libs', 'infra');
export const moduleDir = (name: 'preview-stack' | 'bootstrap') => join(infraDir, name);

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/** Runs a command in its own process group (Terraform starts provider plugins) and captures its output. */
export function run(command: string, args: string[], options: RunOptions): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      kill('SIGINT');
      setTimeout(() => kill('SIGKILL'), 10_000).unref();
    }, options.timeoutMs ?? STEP_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(options.input ?? '');
  });
}

export const terraform = (args: string[], options: RunOptions) => run('terraform', args, options);

/** Runs terraform and fails with its error output when it does not exit 0. */
export async function terraformOk(args: string[], options: RunOptions): Promise<CommandResult> {
  const result = await terraform(args, options);
  if (result.code !== 0) {
    throw new Error(`terraform ${args[0]} failed (exit ${result.code}) in ${options.cwd}:\n${result.stderr || result.stdout}`);
  }
  return result;
}

/** `terraform init`, taking turns with other inits that share the plugin cache. */
export const terraformInit = (args: string[], options: RunOptions) =>
  withInitLock(workspaceRoot, () => terraformOk(['init', '-input=false', '-no-color', ...args], options));

/** Copies a module's own files (no examples, no .terraform) into `dir` so Terraform can run there without touching the source tree. */
export function stageModule(name: 'preview-stack' | 'bootstrap', dir: string): string {
  const target = join(dir, name);
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(moduleDir(name))) {
    if (file.endsWith('.tf')) cpSync(join(moduleDir(name), file), join(target, file));
  }
  return target;
}

/**
 * Lays out the example root stack where the generator puts a model's stack, `apps/<model>/infra`,
 * next to `libs/infra/preview-stack` (a link to the real module), so its relative module source
 * resolves exactly as in a workspace.
 */
export function stageExampleRoot(dir: string, model: string): string {
  const root = join(dir, 'apps', model, 'infra');
  cpSync(join(moduleDir('preview-stack'), 'examples', 'root'), root, { recursive: true });
  mkdirSync(join(dir, 'libs', 'infra'), { recursive: true });
  symlinkSync(moduleDir('preview-stack'), join(dir, 'libs', 'infra', 'preview-stack'), 'dir');
  return root;
}

export interface Boto3Call {
  service: string;
  operation: string;
  params?: Record<string, unknown>;
}

export type Boto3Result = { result: any; error?: undefined } | { error: string; message: string; result?: undefined };

let boto3Python: string | undefined;

/**
 * The first python3 on the PATH that has boto3 (moto's own interpreter has it). Not simply
 * `python3`: task runners put the directory of node first on the PATH, and the system Python
 * found there may lack it.
 */
function pythonWithBoto3(): string {
  if (boto3Python) return boto3Python;
  const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
  for (const dir of [...new Set(dirs)]) {
    const candidate = join(dir, 'python3');
    if (existsSync(candidate) && spawnSync(candidate, ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0) return (boto3Python = candidate);
  }
  throw new Error("no python3 on the PATH can import boto3: install moto with `pip install 'moto[server]'` (it brings boto3)");
}

/** The tests' independent AWS client: boto3, in one Python process per batch of calls. */
export async function boto3(calls: Boto3Call[], env: NodeJS.ProcessEnv): Promise<Boto3Result[]> {
  const script = join(__dirname, 'boto3_calls.py');
  const result = await run(pythonWithBoto3(), [script], { cwd: __dirname, env, input: JSON.stringify(calls), timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`boto3 calls failed (exit ${result.code}):\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** The result of a boto3 call that must succeed. */
export function ok(response: Boto3Result): any {
  if (response.error !== undefined) throw new Error(`AWS call failed: ${response.error}: ${response.message}`);
  return response.result;
}
