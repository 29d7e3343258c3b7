import { existsSync } from 'node:fs';
import { findModelProjectRoot, loadModelConfig, readRecord, tail } from '@ephenv/core';
import { cloudWatchLogs, previewLogGroups, recordLogGroups } from './aws/preview-logs';
import { awsRegion } from './aws/settings';
import { resolvePr } from './pr-number';
import { providerName } from './provider';

export interface LogsOptions {
  lines?: number;
  /** Where the preview runs; default: the recorded preview's provider, else EPHENV_PROVIDER, else local. */
  provider?: string;
  /** aws: the PR whose preview to read when no record of it is here (as on a CI runner). */
  pr?: string | number;
}

/** The local preview's gateway and model logs (files), newest last. */
export function previewLogs(workspaceRoot: string, project: string, options: LogsOptions = {}): string {
  const record = readRecord(workspaceRoot, project);
  if (!record) return `no preview of ${project}: start one with "npx nx run ${project}:deploy-preview"`;
  if (!record.processes) return `the ${record.provider} preview of ${project} keeps its logs in CloudWatch: "npx nx run ${project}:logs --provider aws"`;
  const lines = options.lines ?? 50;
  return Object.entries(record.processes)
    .map(([role, proc]) => `--- ${role}: ${proc.log}${existsSync(proc.log) ? '' : ' (missing)'} ---\n${tail(proc.log, lines)}`)
    .join('\n\n');
}

/**
 * The preview's logs wherever it runs: local files, or for aws the CloudWatch log groups of the
 * gateway Lambda, the API's access log and the SageMaker endpoint (the last N events of each).
 */
export async function readPreviewLogs(workspaceRoot: string, project: string, options: LogsOptions = {}): Promise<string> {
  const record = readRecord(workspaceRoot, project);
  const provider = providerName(options.provider ?? record?.provider);
  if (provider === 'local') return previewLogs(workspaceRoot, project, options);

  const pr = options.pr !== undefined ? resolvePr(options.pr) : record?.provider === 'aws' ? record.pr : resolvePr(undefined);
  const groups = record?.provider === 'aws' && record.pr === pr ? recordLogGroups(record) : previewLogGroups(project, pr);
  const projectRoot = findModelProjectRoot(workspaceRoot, project);
  const config = projectRoot === undefined ? undefined : loadModelConfig(workspaceRoot, projectRoot);
  const recorded = record?.provider === 'aws' && record.pr === pr && typeof record.aws?.region === 'string' ? record.aws.region : undefined;
  const target = awsRegion(config);
  return cloudWatchLogs({ settings: { ...target, region: recorded ?? target.region }, groups, lines: options.lines ?? 50 });
}
