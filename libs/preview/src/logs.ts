import { providerName, readRecord } from '@ephenv/core';
import type { LogsOptions } from './provider';
import { providerFor } from './providers';

/** The preview's logs wherever it runs: the recorded preview's provider, unless --provider says otherwise. */
export async function readPreviewLogs(workspaceRoot: string, project: string, options: LogsOptions = {}): Promise<string> {
  const record = readRecord(workspaceRoot, project);
  const provider = await providerFor(providerName(options.provider ?? record?.provider));
  return provider.logs(workspaceRoot, project, options);
}
