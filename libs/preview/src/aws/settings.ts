import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, modelProjectRoots, type ModelConfig } from '@ephenv/core';

/** Where previews keep their Terraform state and how ephenv reaches AWS. */
export interface AwsSettings {
  region: string;
  /** S3 bucket of the previews' state (bootstrap output `state_bucket`). */
  stateBucket: string;
  /** DynamoDB table locking that state (bootstrap output `lock_table`). */
  lockTable: string;
  /** AWS_ENDPOINT_URL when set: an emulator (moto) in tests, absent against AWS. */
  endpoint?: string;
}

/** The bootstrap module's default lock table name (libs/infra/bootstrap, variable lock_table_name). */
export const DEFAULT_LOCK_TABLE = 'ephenv-terraform-locks';
export const DEFAULT_REGION = 'us-east-1';

type AwsBlock = ModelConfig['aws'];

/** Region and endpoint alone, for calls that need no state bucket (logs): AWS_REGION, else ephenv.json, else us-east-1. */
export function awsRegion(config?: Pick<ModelConfig, 'aws'>, env: NodeJS.ProcessEnv = process.env): Pick<AwsSettings, 'region' | 'endpoint'> {
  return { region: env.AWS_REGION || env.AWS_DEFAULT_REGION || config?.aws.region || DEFAULT_REGION, endpoint: env.AWS_ENDPOINT_URL || undefined };
}

/**
 * Bucket, lock table and region: EPHENV_STATE_BUCKET / EPHENV_LOCK_TABLE / AWS_REGION (or
 * AWS_DEFAULT_REGION) first, then the model's ephenv.json `aws` block, then (no model given, as for
 * `ephenv destroy` and the reaper) the `aws` block the workspace's models agree on.
 */
export function awsSettings(workspaceRoot: string, config?: Pick<ModelConfig, 'aws'>, env: NodeJS.ProcessEnv = process.env): AwsSettings {
  const file: AwsBlock = config?.aws ?? sharedAwsBlock(workspaceRoot);
  const stateBucket = env.EPHENV_STATE_BUCKET || file.stateBucket;
  if (!stateBucket) {
    throw new Error(
      'no Terraform state bucket for aws previews: set EPHENV_STATE_BUCKET (or "aws": {"stateBucket": ...} in ephenv.json) ' +
        'to the state_bucket output of libs/infra/bootstrap (create it once per account: see libs/infra/bootstrap/README.md).',
    );
  }
  return { ...awsRegion({ aws: file }, env), stateBucket, lockTable: env.EPHENV_LOCK_TABLE || file.lockTable || DEFAULT_LOCK_TABLE };
}

/** The `aws` settings every model of the workspace that has one agrees on; a disagreement is an error. */
function sharedAwsBlock(workspaceRoot: string): AwsBlock {
  const blocks = new Map<string, AwsBlock>();
  for (const root of modelProjectRoots(workspaceRoot)) {
    const file = join(workspaceRoot, root, CONFIG_FILE);
    try {
      const aws = (JSON.parse(readFileSync(file, 'utf8')) as { aws?: AwsBlock }).aws;
      if (aws) blocks.set(file, aws);
    } catch {
      /* an unreadable ephenv.json is reported by the commands that load that model */
    }
  }
  const merged: AwsBlock = {};
  for (const [file, block] of blocks) {
    for (const key of ['region', 'stateBucket', 'lockTable'] as const) {
      const value = block[key];
      if (value === undefined) continue;
      if (merged[key] !== undefined && merged[key] !== value) {
        throw new Error(
          `the models' ephenv.json files disagree on aws.${key} ("${merged[key]}" vs "${value}" in ${file}): ` +
            `set ${{ stateBucket: 'EPHENV_STATE_BUCKET', lockTable: 'EPHENV_LOCK_TABLE', region: 'AWS_REGION' }[key]} to choose`,
        );
      }
      merged[key] = value;
    }
  }
  return merged;
}
