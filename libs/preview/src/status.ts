import { request } from 'undici';
import { listRecords, removeRecord, type PreviewRecord } from '@ephenv/core';
import { removePreviewOutput } from './preview-output';
import { providerFor } from './providers';

export interface PreviewStatus {
  project: string;
  provider: string;
  pr: string;
  url: string;
  ageSeconds: number;
  health: 'healthy' | 'unhealthy' | 'stale';
  detail: string;
}

async function ping(record: PreviewRecord): Promise<{ ok: boolean; detail: string }> {
  try {
    const res = await request(`${record.url}/ping`, { headers: { authorization: `Bearer ${record.token}` }, headersTimeout: 3000, bodyTimeout: 3000 });
    const body = await res.body.text();
    return { ok: res.statusCode === 200, detail: res.statusCode === 200 ? 'ping 200' : `ping ${res.statusCode}: ${body.slice(0, 120)}` };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

/**
 * Every recorded preview with its health. A record whose preview is gone (a local one whose
 * processes all stopped) is stale: it is removed (and reported as such), since nothing is left to destroy.
 */
export async function previewStatus(workspaceRoot: string, now = Date.now()): Promise<PreviewStatus[]> {
  return Promise.all(
    listRecords(workspaceRoot).map(async (record) => {
      const base = { project: record.project, provider: record.provider, pr: record.pr, url: record.url, ageSeconds: Math.round((now - Date.parse(record.startedAt)) / 1000) };
      const provider = await providerFor(record.provider);
      if (provider.isGone(record)) {
        removeRecord(workspaceRoot, record.project);
        removePreviewOutput(workspaceRoot, record.project);
        return { ...base, health: 'stale' as const, detail: 'processes gone; record removed' };
      }
      const result = await ping(record);
      return { ...base, health: result.ok ? ('healthy' as const) : ('unhealthy' as const), detail: result.detail };
    }),
  );
}

export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86400)}d${Math.floor((seconds % 86400) / 3600)}h`;
}
