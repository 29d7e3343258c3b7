import { assertWithinPolicy, gitSha, loadExamples, loadModelConfig, readPolicy, stdioLogger, type Logger, type PreviewRecord, type ProjectRef as CoreProjectRef } from '@ephenv/core';
import { resolvePr } from './pr-number';
import { providerName } from './provider';
import { providerFor } from './providers';

export interface DeployOptions {
  provider?: string;
  pr?: string | number;
  showToken?: boolean;
  /** aws: a model image built elsewhere (ECR URI); skips the Docker build and push. */
  imageUri?: string;
  /** aws: how long Terraform waits for another run's lock on this PR's state (Terraform duration, default 5m). */
  lockTimeout?: string;
  /** aws: how long to wait for the SageMaker endpoint to be InService, in seconds (default 1800). */
  endpointTimeout?: number;
  /** The base branch whose ephenv.policy.json applies (default: GITHUB_BASE_REF, else NX_BASE; none locally: the working tree's). */
  base?: string;
}

const awsOptions = (options: DeployOptions) => ({
  imageUri: options.imageUri || undefined,
  lockTimeout: options.lockTimeout || process.env.EPHENV_LOCK_TIMEOUT || undefined,
  endpointTimeoutSeconds: options.endpointTimeout ?? (process.env.EPHENV_ENDPOINT_TIMEOUT_SECONDS ? Number(process.env.EPHENV_ENDPOINT_TIMEOUT_SECONDS) : undefined),
});

/** A model project: what deploy and destroy need to find it. */
export type ProjectRef = Pick<CoreProjectRef, 'workspaceRoot' | 'project' | 'projectRoot'>;

export async function deployPreview(ref: ProjectRef, options: DeployOptions = {}, log: Logger = stdioLogger): Promise<PreviewRecord> {
  const report = (line: string) => log.info(line);
  const started = Date.now();
  const config = loadModelConfig(ref.workspaceRoot, ref.projectRoot);
  // Before the provider starts anything: a refused preview creates no process and no cloud resource.
  const policy = readPolicy(ref.workspaceRoot, { base: options.base });
  report(`ephenv: preview policy: ${policy.source.description}`);
  assertWithinPolicy(ref.project, config, policy);
  const provider = await providerFor(providerName(options.provider), report, awsOptions(options));
  const record = await provider.deploy({ ...ref, config, policy: policy.policy, pr: resolvePr(options.pr), gitSha: gitSha(ref.workspaceRoot) });
  report(howToCall(record, ref, Date.now() - started, options.showToken === true));
  return record;
}

export type DestroyOptions = Pick<DeployOptions, 'provider' | 'pr' | 'lockTimeout'>;

export async function destroyPreview(ref: ProjectRef, options: DestroyOptions = {}, log: Logger = stdioLogger) {
  const report = (line: string) => log.info(line);
  const provider = await providerFor(providerName(options.provider), report, awsOptions(options));
  const result = await provider.destroy({ ...ref, pr: resolvePr(options.pr), gitSha: gitSha(ref.workspaceRoot) });
  report(result.destroyed ? `ephenv: destroyed the ${provider.name} preview of ${ref.project}: ${result.message}` : `ephenv: ${result.message}; nothing to do`);
  return result;
}

/** The URL and a ready curl line; the token is read from the record by the line, not printed. */
function howToCall(record: PreviewRecord, ref: ProjectRef, ms: number, showToken: boolean): string {
  const config = loadModelConfig(ref.workspaceRoot, ref.projectRoot);
  const example = loadExamples(config)[0];
  const body = example ? JSON.stringify(example.request) : '{}';
  const token = showToken ? record.token : `$(npx ephenv token ${ref.project})`;
  return [
    ``,
    `Preview of ${ref.project} is up (${record.provider}, PR ${record.pr}) in ${(ms / 1000).toFixed(1)} s`,
    `  URL:   ${record.url}`,
    `  token: ${showToken ? record.token : `in .ephenv/previews/${ref.project}.json (print it with: npx ephenv token ${ref.project})`}`,
    ``,
    `  curl -s ${record.url}/invocations \\`,
    `    -H "Authorization: Bearer ${token}" \\`,
    `    -H 'Content-Type: application/json' \\`,
    `    -d '${body.replace(/'/g, `'\\''`)}'`,
    ``,
    record.provider === 'aws'
      ? `  logs: npx nx run ${ref.project}:logs --provider aws    destroy: npx nx run ${ref.project}:destroy-preview --provider aws --pr ${record.pr}`
      : `  logs: npx nx run ${ref.project}:logs    destroy: npx nx run ${ref.project}:destroy-preview`,
  ].join('\n');
}
