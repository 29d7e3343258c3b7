import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir, type ModelConfig, type PreviewRecord } from '@ephenv/core';

/**
 * dist/ephenv/<project>/preview.json: what CI and the PR comment read. Never the token: for aws,
 * the name of the SSM parameter holding it, and what Terraform created (the record's `aws` block).
 */
export function writePreviewOutput(workspaceRoot: string, record: PreviewRecord, config: ModelConfig): string {
  const dir = resultsDir(workspaceRoot, record.project);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'preview.json');
  const { token: _token, processes, ...rest } = record;
  const output = {
    ...rest,
    endpointType: config.endpoint.type,
    ttlHours: config.ttlHours,
    token: record.provider === 'local' ? `in .ephenv/previews/${record.project}.json` : `in the SSM SecureString ${String(record.aws?.token_parameter_name ?? '(see the preview record)')}`,
    logs: processes ? { model: processes.model.log, gateway: processes.gateway.log } : undefined,
  };
  writeFileSync(file, JSON.stringify(output, null, 2) + '\n');
  return file;
}

export function removePreviewOutput(workspaceRoot: string, project: string): void {
  rmSync(join(resultsDir(workspaceRoot, project), 'preview.json'), { force: true });
}
