import { removeResult, writeResult, type ModelConfig, type PreviewRecord } from '@ephenv/core';
import type { PreviewProvider } from './provider';

/**
 * dist/ephenv/<project>/preview.json: what CI and the PR comment read. Never the token: where it
 * is kept, how to reach the preview and what it costs come from its provider.
 */
export function writePreviewOutput(workspaceRoot: string, record: PreviewRecord, config: ModelConfig, provider: PreviewProvider): string {
  const { token: _token, processes: _processes, ...rest } = record;
  const cost = provider.costInputs(record, config);
  return writeResult(workspaceRoot, record.project, 'preview', {
    ...rest,
    endpointType: config.endpoint.type,
    ttlHours: config.ttlHours,
    ...(record.aws?.expires_at ? { expiresAt: record.aws.expires_at } : {}),
    access: provider.access(record),
    ...(cost ? { cost } : {}),
  });
}

export function removePreviewOutput(workspaceRoot: string, project: string): void {
  removeResult(workspaceRoot, project, 'preview');
}
