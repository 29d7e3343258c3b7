import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { previewsDir } from './paths';
import type { ProviderName } from './provider-name';
import type { AwsPreviewOutputs } from './results/preview';

export interface ProcessRecord {
  pid: number;
  /** The command line the process was started with, to recognise it is still ours before signalling it. */
  command: string[];
  port: number;
  log: string;
  /** A hash of everything the process serves from (local model server: code, model, requirements, venv), to tell whether a re-deploy may keep it. */
  inputs?: string;
}

/** `.ephenv/previews/<project>.json`: everything needed to call, inspect and destroy one preview. */
export interface PreviewRecord {
  project: string;
  provider: ProviderName;
  url: string;
  token: string;
  pr: string;
  gitSha: string;
  startedAt: string;
  /** local provider: the model server and the gateway. */
  processes?: { model: ProcessRecord; gateway: ProcessRecord };
  /** aws provider: what Terraform created. */
  aws?: AwsPreviewOutputs;
  /** How long this deploy took and what it reused (both providers); shown on the PR. */
  deployment?: DeploymentSummary;
}

/** How long a deploy took, phase by phase, and what it did not have to redo. */
export interface DeploymentSummary {
  /** From the start of deploy-preview to a usable URL, in milliseconds. */
  totalMs: number;
  /** Each phase's duration in milliseconds; phases run concurrently overlap, so they may add up to more than totalMs. */
  phasesMs: Record<string, number>;
  /** aws: "exists" when the image's content was already in ECR (nothing built or pushed), "built", or "given" (--imageUri). */
  image?: 'given' | 'exists' | 'built';
  /** aws: what the apply did to the SageMaker endpoint ("reused": nothing). */
  endpoint?: 'created' | 'updated' | 'reused';
  /** local: whether the model server kept running (its inputs did not change) or was started. */
  modelServer?: 'started' | 'kept';
}

export function recordPath(workspaceRoot: string, project: string): string {
  return join(previewsDir(workspaceRoot), `${project}.json`);
}

export function readRecord(workspaceRoot: string, project: string): PreviewRecord | undefined {
  const file = recordPath(workspaceRoot, project);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PreviewRecord;
  } catch (e) {
    throw new Error(`preview record ${file} is unreadable (${(e as Error).message}); remove it and deploy again`);
  }
}

/** Writes the record with mode 0600 (it holds the token), atomically. */
export function writeRecord(workspaceRoot: string, record: PreviewRecord): string {
  const dir = previewsDir(workspaceRoot);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = recordPath(workspaceRoot, record.project);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return file;
}

export function removeRecord(workspaceRoot: string, project: string): void {
  rmSync(recordPath(workspaceRoot, project), { force: true });
}

export function listRecords(workspaceRoot: string): PreviewRecord[] {
  const dir = previewsDir(workspaceRoot);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => {
      try {
        const record = JSON.parse(readFileSync(join(dir, f), 'utf8')) as PreviewRecord;
        return record && typeof record.project === 'string' && typeof record.url === 'string' ? [record] : [];
      } catch {
        return [];
      }
    });
}
