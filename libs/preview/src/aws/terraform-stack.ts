import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { logsDir } from '@ephenv/core';
import { s3BackendArgs } from '../terraform/backend-config';
import { terraformEnv, terraformStateDir } from '../terraform/cli-config';
import { withInitLock } from '../terraform/init-lock';
import { logTail, runTerraform, terraformOk, TerraformError, type TerraformRun } from './run-terraform';
import type { AwsSettings } from './settings';
import { stateKey } from './state-keys';
import { variableArgs } from './stack-variables';

/** One model's preview of one PR, as Terraform sees it: a root module and a state key. */
export interface StackRef {
  workspaceRoot: string;
  project: string;
  pr: string;
  /** The root module, normally apps/<model>/infra. */
  rootDir: string;
  settings: AwsSettings;
}

export const DEFAULT_LOCK_TIMEOUT = '5m';

/** Per (project, PR), so previews of different PRs of one model (different state keys) never share a .terraform dir. */
export const stackDataDir = (workspaceRoot: string, project: string, pr: string) => join(terraformStateDir(workspaceRoot), 'data', `${project}-pr-${pr}`);
export const stackLogPath = (workspaceRoot: string, project: string, pr: string) => join(logsDir(workspaceRoot, project), `terraform-pr-${pr}.log`);

export class StateLockedError extends Error {
  override name = 'StateLockedError';
}

/** How Terraform runs for this stack: its root, data dir, CLI config, log, and (for apply/destroy) the token. */
export function stackRun(stack: StackRef, token?: string, base: NodeJS.ProcessEnv = process.env): TerraformRun {
  const env: NodeJS.ProcessEnv = {
    ...base,
    ...terraformEnv(stack.workspaceRoot),
    TF_DATA_DIR: stackDataDir(stack.workspaceRoot, stack.project, stack.pr),
  };
  if (token !== undefined) env.TF_VAR_token = token;
  return { cwd: stack.rootDir, env, log: stackLogPath(stack.workspaceRoot, stack.project, stack.pr) };
}

export function backendArgs(stack: StackRef): string[] {
  const { settings } = stack;
  return s3BackendArgs({
    bucket: settings.stateBucket,
    key: stateKey(stack.project, stack.pr),
    region: settings.region,
    lockTable: settings.lockTable,
    endpoint: settings.endpoint,
  });
}

/**
 * `terraform init` with the S3 backend on this stack's key. Skipped when the data dir was
 * initialised with the same backend, CLI config and Terraform files (root and local modules):
 * a re-deploy then starts applying at once, and never re-initialises a data dir that a
 * concurrent deploy of the same PR is applying with.
 */
export async function initStack(stack: StackRef, run: TerraformRun): Promise<'initialised' | 'up to date'> {
  return withInitLock(stack.workspaceRoot, async () => {
    const dataDir = run.env.TF_DATA_DIR!;
    const stamp = join(dataDir, 'ephenv-init.sha256');
    const args = backendArgs(stack);
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === initFingerprint(stack.rootDir, dataDir, args, run.env)) return 'up to date';
    await terraformOk(['init', '-input=false', '-no-color', '-reconfigure', ...args], run, `terraform init of ${stack.project} (PR ${stack.pr})`);
    writeFileSync(stamp, initFingerprint(stack.rootDir, dataDir, args, run.env));
    return 'initialised';
  });
}

function initFingerprint(rootDir: string, dataDir: string, args: string[], env: NodeJS.ProcessEnv): string {
  const hash = createHash('sha256').update(JSON.stringify(args));
  const cliConfig = env.TF_CLI_CONFIG_FILE;
  if (cliConfig && existsSync(cliConfig)) hash.update(readFileSync(cliConfig));
  const dirs = [rootDir, ...localModuleDirs(rootDir, dataDir)];
  for (const dir of dirs) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf') || f === '.terraform.lock.hcl').sort()) {
      hash.update(`\0${dir}/${file}\0`).update(readFileSync(join(dir, file)));
    }
  }
  return hash.digest('hex');
}

/** The local module directories Terraform recorded at the last init (modules/modules.json). */
function localModuleDirs(rootDir: string, dataDir: string): string[] {
  const manifest = join(dataDir, 'modules', 'modules.json');
  if (!existsSync(manifest)) return [];
  try {
    const { Modules } = JSON.parse(readFileSync(manifest, 'utf8')) as { Modules?: { Key: string; Dir: string }[] };
    return (Modules ?? [])
      .filter((m) => m.Key !== '')
      .map((m) => resolve(rootDir, m.Dir))
      .filter((dir) => existsSync(dir))
      .sort();
  } catch {
    return [];
  }
}

/** `terraform apply`; waits up to `lockTimeout` for another run holding this PR's state lock. Returns Terraform's output. */
export async function applyStack(stack: StackRef, run: TerraformRun, vars: Record<string, string>, lockTimeout = DEFAULT_LOCK_TIMEOUT): Promise<string> {
  return lockAware(stack, run, ['apply', '-auto-approve', '-input=false', '-no-color', `-lock-timeout=${lockTimeout}`, ...variableArgs(vars)], lockTimeout, 'apply');
}

/**
 * What an apply did to the SageMaker endpoint, from Terraform's progress lines: created, updated
 * (a new endpoint config: SageMaker's UpdateEndpoint, minutes on AWS) or reused (untouched).
 */
export function endpointChange(applyOutput: string): 'created' | 'updated' | 'reused' {
  if (/aws_sagemaker_endpoint\.this: Creating\.\.\./.test(applyOutput)) return 'created';
  if (/aws_sagemaker_endpoint\.this: Modifying\.\.\./.test(applyOutput)) return 'updated';
  return 'reused';
}

export async function destroyStackResources(stack: StackRef, run: TerraformRun, vars: Record<string, string>, lockTimeout = DEFAULT_LOCK_TIMEOUT): Promise<void> {
  await lockAware(stack, run, ['destroy', '-auto-approve', '-input=false', '-no-color', `-lock-timeout=${lockTimeout}`, ...variableArgs(vars)], lockTimeout, 'destroy');
}

async function lockAware(stack: StackRef, run: TerraformRun, args: string[], lockTimeout: string, what: string): Promise<string> {
  const result = await runTerraform(args, run);
  if (result.code === 0) return logTail(run.log, result.logOffset, Infinity);
  const output = logTail(run.log, result.logOffset, 40);
  if (/Error acquiring the state lock/.test(output)) {
    const holder = /Who:\s*(.+)/.exec(output)?.[1]?.trim();
    throw new StateLockedError(
      `the state of ${stack.project}'s PR ${stack.pr} preview (s3://${stack.settings.stateBucket}/${stateKey(stack.project, stack.pr)}) ` +
        `is locked by another run${holder ? ` (${holder})` : ''} and stayed locked for ${lockTimeout}: nothing was changed. ` +
        `Retry when that run ends, or wait longer with --lockTimeout (e.g. 15m). Log: ${run.log}`,
    );
  }
  throw new TerraformError(
    `terraform ${what} of ${stack.project} (PR ${stack.pr}) failed (exit ${result.code}); full log: ${run.log}\n--- last lines ---\n${output}`,
    result.code,
    output,
  );
}

/** The root stack's outputs (`terraform output -json`), by name. */
export async function readStackOutputs(stack: StackRef, run: TerraformRun): Promise<Record<string, unknown>> {
  const { stdout } = await terraformOk(['output', '-json', '-no-color'], { ...run, capture: true }, `reading the outputs of ${stack.project} (PR ${stack.pr})`);
  const raw = JSON.parse(stdout) as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(raw).map(([name, output]) => [name, output.value]));
}
