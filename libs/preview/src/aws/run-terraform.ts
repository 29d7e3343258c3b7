import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export const TERRAFORM_INSTALL_HINT =
  'install Terraform 1.11 or newer (https://developer.hashicorp.com/terraform/install) and make sure `terraform` is on PATH';

export class TerraformMissingError extends Error {
  override name = 'TerraformMissingError';
  constructor() {
    super(`terraform is not on PATH: ${TERRAFORM_INSTALL_HINT}`);
  }
}

/** A failed Terraform command, with the end of its log: what a reader needs to act. */
export class TerraformError extends Error {
  override name = 'TerraformError';
  constructor(
    message: string,
    readonly code: number | null,
    readonly output: string,
  ) {
    super(message);
  }
}

export interface TerraformRun {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Terraform's own output is appended here; stdout is also returned when `capture` is set. */
  log: string;
  /** Keep stdout in memory (for `terraform output -json`) instead of only logging it. */
  capture?: boolean;
}

export interface TerraformResult {
  code: number | null;
  stdout: string;
  /** Where this run's output starts in the log (other runs may append to the same file). */
  logOffset: number;
}

/**
 * The environment Terraform runs with: `run.env` without any TF_LOG* variable. Debug logs print
 * every request and response, which include the token Terraform writes to SSM; a TF_LOG set in CI
 * or a shell must not turn them on.
 */
export function terraformProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.toUpperCase().startsWith('TF_LOG')));
}

/** Runs `terraform <args>` (an argv array, no shell, no TF_LOG*); its output goes to the log file. */
export function runTerraform(args: string[], run: TerraformRun): Promise<TerraformResult> {
  mkdirSync(dirname(run.log), { recursive: true });
  appendFileSync(run.log, `\n$ terraform ${args.join(' ')}   # ${new Date().toISOString()}\n`);
  const logOffset = statSync(run.log).size;
  const fd = openSync(run.log, 'a');
  return new Promise<TerraformResult>((resolve, reject) => {
    const child = spawn('terraform', args, { cwd: run.cwd, env: terraformProcessEnv(run.env), stdio: ['ignore', run.capture ? 'pipe' : fd, fd] });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new TerraformMissingError() : e));
    child.on('close', (code) => resolve({ code, stdout, logOffset }));
  }).finally(() => closeSync(fd));
}

/** Like runTerraform, but a non-zero exit is a TerraformError carrying the log's last lines. */
export async function terraformOk(args: string[], run: TerraformRun, what: string): Promise<TerraformResult> {
  const result = await runTerraform(args, run);
  if (result.code !== 0) {
    const output = logTail(run.log, result.logOffset, 40);
    throw new TerraformError(`${what} failed (terraform ${args[0]} exited ${result.code}); full log: ${run.log}\n--- last lines ---\n${output}`, result.code, output);
  }
  return result;
}

/** The last `lines` lines the log received since `offset`. */
export function logTail(file: string, offset: number, lines: number): string {
  const fd = openSync(file, 'r');
  try {
    const size = statSync(file).size;
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    readSync(fd, buffer, 0, buffer.length, offset);
    const text = buffer.toString('utf8').trimEnd();
    return text === '' ? '(no output)' : text.split('\n').slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}
