import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from './process';
import { venvsDir } from './paths';

export interface Venv {
  dir: string;
  python: string;
  /** true when this call created it. */
  created: boolean;
}

const READY = '.ephenv-ready';

/** The Python that creates virtualenvs: EPHENV_PYTHON, else python3 from PATH. */
export const basePython = () => process.env.EPHENV_PYTHON || 'python3';

/** The requirement files of a model: requirements.txt, plus requirements-dev.txt (tests) when present. */
export function requirementFiles(projectDir: string): string[] {
  const files = [join(projectDir, 'requirements.txt')];
  if (!existsSync(files[0])) throw new Error(`${files[0]} not found: a model service lists its Python dependencies there`);
  const dev = join(projectDir, 'requirements-dev.txt');
  if (existsSync(dev)) files.push(dev);
  return files;
}

let interpreter: string | undefined;

/**
 * Which Python `basePython()` is here (its path and version), so a venv is never reused across
 * interpreters: `python3` can be another Python under a task runner's PATH, or after an upgrade.
 */
export function interpreterId(): string {
  if (interpreter) return interpreter;
  try {
    interpreter = execFileSync(basePython(), ['-c', 'import sys; print(sys.executable); print(sys.version)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    return interpreter;
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(`cannot run ${basePython()}${missing ? ': not found on PATH' : ''}; install Python 3.10+ or set EPHENV_PYTHON to its interpreter`);
  }
}

/** One virtualenv per distinct set of requirements: the key is a hash of their contents and the Python. */
export function venvKey(files: string[]): string {
  const hash = createHash('sha256');
  hash.update(interpreterId());
  for (const f of files) hash.update('\0').update(readFileSync(f));
  return hash.digest('hex').slice(0, 16);
}

function run(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const forward = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      process.stderr.write(chunk);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', (e) =>
      reject(new Error(`cannot run ${argv[0]}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found on PATH (set EPHENV_PYTHON to a Python 3.10+ interpreter)' : e.message}`)),
    );
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  const owner = join(lockDir, 'pid');
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(owner, String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSafe(owner));
      if (pid && !isAlive(pid)) rmSync(lockDir, { recursive: true, force: true });
      else await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Returns the model's virtualenv under `.ephenv/venvs/<key>`, creating it (pip's output shown
 * as it installs) when no complete one exists. Concurrent callers wait for one build.
 */
export async function ensureVenv(workspaceRoot: string, projectDir: string): Promise<Venv> {
  const files = requirementFiles(projectDir);
  const root = venvsDir(workspaceRoot);
  const dir = join(root, venvKey(files));
  const python = join(dir, 'bin', 'python');
  if (existsSync(join(dir, READY))) return { dir, python, created: false };
  mkdirSync(root, { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    if (existsSync(join(dir, READY))) return { dir, python, created: false };
    // Built in place (scripts embed the venv's path); the ready marker is written last, so a
    // half-built venv from an interrupted install is never used.
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`ephenv: creating a virtualenv for ${files.join(', ')} (reused until they change)\n`);
    const env = { ...process.env, PIP_RETRIES: process.env.PIP_RETRIES ?? '0', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
    const created = await run([basePython(), '-m', 'venv', dir], env);
    if (created.code !== 0) throw new Error(`could not create a virtualenv with ${basePython()}:\n${created.output.trim()}`);
    const pip = [python, '-m', 'pip', 'install', '--no-input', ...files.flatMap((f) => ['-r', f])];
    const installed = await run(pip, env);
    if (installed.code !== 0) {
      rmSync(dir, { recursive: true, force: true });
      const lines = installed.output.trim().split('\n');
      const errors = lines.filter((l) => /error/i.test(l)).slice(-10);
      throw new Error(
        `pip could not install the requirements of ${projectDir}:\n${(errors.length ? errors : lines.slice(-10)).join('\n')}\n` +
          `Fix the requirement, or retry by hand with:\n  ${basePython()} -m venv /tmp/venv && /tmp/venv/bin/python -m pip install ${files.map((f) => `-r ${f}`).join(' ')}`,
      );
    }
    writeFileSync(join(dir, READY), new Date().toISOString());
    return { dir, python, created: true };
  });
}
