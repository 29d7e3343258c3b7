import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, findModelProjectRoot, gitSha as checkoutSha, loadModelConfig, normalizePr, previewName, stdioLogger, type Logger, type ModelConfig } from '@ephenv/core';
import type { DestroyResult } from '../provider';
import { buildGatewayZip, gatewayZipPath } from './build-gateway-zip';
import { Phases } from './phases';
import { requireBackend, requireCredentials, requireTerraform } from './preflight';
import { readStateSummary } from './read-state';
import { awsSettings, type AwsSettings } from './settings';
import { modelStackRoot, stagedStackRoot } from './stack-root';
import { stackVariables } from './stack-variables';
import { stateKey } from './state-keys';
import { DEFAULT_LOCK_TIMEOUT, destroyStackResources, initStack, stackRun, type StackRef } from './terraform-stack';

export interface DestroyStackOptions {
  /** Bucket, table and region; default: awsSettings(workspaceRoot, the model's config). */
  settings?: AwsSettings;
  /** The model's folder relative to the workspace; default: found by name. A folder that is gone is handled. */
  projectRoot?: string;
  /** How long to wait for another run holding the state lock (default 5m). */
  lockTimeout?: string;
  /** Where the steps go (default: stdout). */
  log?: Logger;
}

/** A syntactically valid commit for the git_sha variable when neither the state nor the checkout has one; destroy tags nothing. */
const NO_COMMIT = '0000000';

/**
 * `terraform destroy` of one model's preview of one PR, through its state key. A missing state
 * object, or one that holds no resources, is "nothing to destroy" (a success). Works for a model
 * whose folder is gone from the checkout (see stagedStackRoot). Variables Terraform needs but
 * destroy does not use (image, commit) come from the state itself.
 */
export async function destroyStack(workspaceRoot: string, preview: { project: string; pr: string | number }, options: DestroyStackOptions = {}): Promise<DestroyResult> {
  const project = preview.project;
  const pr = normalizePr(preview.pr);
  const log = options.log ?? stdioLogger;
  const projectRoot = options.projectRoot ?? findModelProjectRoot(workspaceRoot, project);
  const config: ModelConfig | undefined = projectRoot !== undefined && existsSync(join(workspaceRoot, projectRoot, CONFIG_FILE)) ? loadModelConfig(workspaceRoot, projectRoot) : undefined;
  const settings = options.settings ?? awsSettings(workspaceRoot, config);
  const key = stateKey(project, pr);
  const where = `s3://${settings.stateBucket}/${key}`;
  const phases = new Phases(`${project} PR ${pr}`, log);

  const [account] = await phases.run('checks', () => Promise.all([requireCredentials(settings), requireBackend(settings)]));
  const state = await readStateSummary(settings, key);
  if (!state) return { destroyed: false, message: `nothing to destroy: no preview state at ${where}` };
  if (state.resources === 0) return { destroyed: false, message: `nothing to destroy: the state at ${where} holds no resources` };
  await requireTerraform();

  const rootDir = config ? modelStackRoot(workspaceRoot, project, config.projectRoot) : stagedStackRoot(workspaceRoot, project);
  if (!config) log.info(`ephenv: the folder of ${project} is gone from this checkout; destroying its PR ${pr} preview with the preview-stack's example root`);
  const stack: StackRef = { workspaceRoot, project, pr, rootDir, settings };
  const zip = existsSync(gatewayZipPath(workspaceRoot, project))
    ? gatewayZipPath(workspaceRoot, project)
    : (await phases.run('bundle', () => buildGatewayZip(workspaceRoot, project, config))).path;

  const commit = state.gitSha ?? [checkoutSha(workspaceRoot)].find((sha) => /^[0-9a-f]{7,40}$/.test(sha)) ?? NO_COMMIT;
  const vars = stackVariables({
    project,
    pr,
    gitSha: commit,
    imageUri: state.imageUri ?? `${account}.dkr.ecr.${settings.region}.amazonaws.com/${project}:${commit}`,
    gatewayZip: zip,
    region: settings.region,
    config,
  });
  // Terraform requires the token variable; destroy never writes it anywhere.
  const run = stackRun(stack, randomBytes(32).toString('base64url'));
  await phases.run('init', () => initStack(stack, run), (how) => (how === 'up to date' ? 'already initialised' : ''));
  await phases.run('destroy', () => destroyStackResources(stack, run, vars, options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT));

  const left = await readStateSummary(settings, key);
  if (left && left.resources > 0) {
    throw new Error(`terraform destroy of ${previewName(project, pr)} ended with ${left.resources} resources still in ${where}; see ${run.log} and run destroy-preview again`);
  }
  return { destroyed: true, message: `destroyed ${state.resources} resources of ${previewName(project, pr)} (state ${where})` };
}
