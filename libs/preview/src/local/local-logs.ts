import { existsSync } from 'node:fs';
import { readRecord, tail } from '@ephenv/core';
import type { LogsOptions } from '../provider';

/** The local preview's gateway and model logs (files), newest last. */
export function localPreviewLogs(workspaceRoot: string, project: string, options: LogsOptions = {}): string {
  const record = readRecord(workspaceRoot, project);
  if (!record) return `no preview of ${project}: start one with "npx nx run ${project}:deploy-preview"`;
  if (!record.processes) return `the ${record.provider} preview of ${project} runs no local processes: "npx nx run ${project}:logs --provider ${record.provider}"`;
  const lines = options.lines ?? 50;
  return Object.entries(record.processes)
    .map(([role, proc]) => `--- ${role}: ${proc.log}${existsSync(proc.log) ? '' : ' (missing)'} ---\n${tail(proc.log, lines)}`)
    .join('\n\n');
}
