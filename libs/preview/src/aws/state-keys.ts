import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { normalizePr } from '@ephenv/core';
import { s3ClientConfig } from './clients';
import type { AwsSettings } from './settings';

/** Every preview's state lives under this prefix of the state bucket. */
export const STATE_PREFIX = 'previews/';

/** The state object of one model's preview of one PR: `previews/<project>/pr-<n>.tfstate`. */
export function stateKey(project: string, pr: string | number): string {
  return `${STATE_PREFIX}${project}/pr-${normalizePr(pr)}.tfstate`;
}

export interface StateKey {
  key: string;
  project: string;
  pr: string;
  /** When the state object was last written (the last apply or destroy). */
  lastModified?: Date;
}

const KEY = /^previews\/([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\/pr-([1-9][0-9]{0,5}|local)\.tfstate$/;

/** The project and PR of a state key, or undefined for an object that is not a preview's state. */
export function parseStateKey(key: string): { project: string; pr: string } | undefined {
  const match = KEY.exec(key);
  return match ? { project: match[1], pr: match[2] } : undefined;
}

export interface ListStateKeysOptions {
  /** Only this PR's previews. */
  pr?: string | number;
  /** Only this model's previews. */
  project?: string;
  s3?: S3Client;
}

/** The preview states in the bucket (ListObjectsV2 under `previews/`), sorted by key. */
export async function listStateKeys(settings: AwsSettings, options: ListStateKeysOptions = {}): Promise<StateKey[]> {
  const s3 = options.s3 ?? new S3Client(s3ClientConfig(settings));
  const pr = options.pr === undefined ? undefined : normalizePr(options.pr);
  const prefix = options.project ? `${STATE_PREFIX}${options.project}/` : STATE_PREFIX;
  const keys: StateKey[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: settings.stateBucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      const parsed = object.Key ? parseStateKey(object.Key) : undefined;
      if (!parsed || (pr !== undefined && parsed.pr !== pr)) continue;
      keys.push({ key: object.Key!, ...parsed, lastModified: object.LastModified });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort((a, b) => a.key.localeCompare(b.key));
}
