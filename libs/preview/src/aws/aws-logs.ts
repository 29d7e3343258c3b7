import { findModelProjectRoot, loadModelConfig, readRecord } from '@ephenv/core';
import { resolvePr } from '../pr-number';
import type { LogsOptions } from '../provider';
import { cloudWatchLogs, previewLogGroups, recordLogGroups } from './preview-logs';
import { awsRegion } from './settings';

/**
 * An aws preview's logs: the CloudWatch log groups of the gateway Lambda, the API's access log and
 * the SageMaker endpoint (the last N events of each), found from the record when it is this PR's,
 * else from the preview's name (as on a CI runner that did not deploy it).
 */
export async function awsPreviewLogs(workspaceRoot: string, project: string, options: LogsOptions = {}): Promise<string> {
  const record = readRecord(workspaceRoot, project);
  const ours = record?.provider === 'aws' ? record : undefined;
  const pr = options.pr !== undefined ? resolvePr(options.pr) : (ours?.pr ?? resolvePr(undefined));
  const recorded = ours?.pr === pr ? ours : undefined;
  const groups = recorded ? recordLogGroups(recorded) : previewLogGroups(project, pr);
  const projectRoot = findModelProjectRoot(workspaceRoot, project);
  const config = projectRoot === undefined ? undefined : loadModelConfig(workspaceRoot, projectRoot);
  const target = awsRegion(config);
  return cloudWatchLogs({ settings: { ...target, region: recorded?.aws?.region ?? target.region }, groups, lines: options.lines ?? 50 });
}
