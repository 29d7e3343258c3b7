import { existsSync } from 'node:fs';
import { readRecord, tail } from '@ephenv/core';

export interface LogsOptions {
  lines?: number;
}

/** The preview's gateway and model logs, newest last; local files for the local provider. */
export function previewLogs(workspaceRoot: string, project: string, options: LogsOptions = {}): string {
  const record = readRecord(workspaceRoot, project);
  if (!record) return `no preview of ${project}: start one with "npx nx run ${project}:deploy-preview"`;
  if (!record.processes) return `the ${record.provider} preview of ${project} keeps its logs in CloudWatch: "npx nx run ${project}:logs --provider aws"`;
  const lines = options.lines ?? 50;
  return Object.entries(record.processes)
    .map(([role, proc]) => `--- ${role}: ${proc.log}${existsSync(proc.log) ? '' : ' (missing)'} ---\n${tail(proc.log, lines)}`)
    .join('\n\n');
}
