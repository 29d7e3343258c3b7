import { randomBytes } from 'node:crypto';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { previewName } from '@ephenv/core';
import { clientConfig } from './clients';
import type { AwsSettings } from './settings';

/** The preview stack's default parameter_prefix: the token is at `/ephenv/<project>-pr-<n>/token`. */
export const tokenParameterName = (project: string, pr: string) => `/ephenv/${previewName(project, pr)}/token`;

/**
 * In GitHub Actions (GITHUB_ACTIONS=true), tells the runner to mask the token in every later log
 * line of the job: printed the moment the token exists, before anything could print it.
 */
export function maskInGitHubActions(token: string, env: NodeJS.ProcessEnv = process.env, write = (line: string) => process.stdout.write(line)): void {
  if (env.GITHUB_ACTIONS === 'true') write(`::add-mask::${token}\n`);
}

/**
 * The bearer token of a preview: the one already in SSM when the preview exists (a warm gateway
 * Lambda keeps the token it read at cold start, so a re-deploy must not change it), else a new one.
 */
export async function previewToken(settings: AwsSettings, project: string, pr: string, ssm = new SSMClient(clientConfig(settings))): Promise<{ token: string; reused: boolean }> {
  try {
    const found = await ssm.send(new GetParameterCommand({ Name: tokenParameterName(project, pr), WithDecryption: true }));
    const value = found.Parameter?.Value;
    if (value) {
      maskInGitHubActions(value);
      return { token: value, reused: true };
    }
  } catch (e) {
    if ((e as Error).name !== 'ParameterNotFound') throw e;
  }
  const token = randomBytes(32).toString('base64url');
  maskInGitHubActions(token);
  return { token, reused: false };
}
