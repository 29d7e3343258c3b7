import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig, s3ClientConfig } from './clients';
import { TERRAFORM_INSTALL_HINT, TerraformMissingError } from './run-terraform';
import type { AwsSettings } from './settings';

const run = promisify(execFile);

/** The Terraform CLI's version; a missing binary or one older than 1.11 is an error that says how to install it. */
export async function requireTerraform(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let stdout: string;
  try {
    ({ stdout } = await run('terraform', ['version', '-json'], { env, timeout: 30_000 }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new TerraformMissingError();
    throw new Error(`\`terraform version\` failed (${(e as Error).message.split('\n')[0]}): ${TERRAFORM_INSTALL_HINT}`);
  }
  const version = String((JSON.parse(stdout) as { terraform_version?: string }).terraform_version ?? '');
  const [major, minor] = version.split('.').map(Number);
  if (!(major > 1 || (major === 1 && minor >= 11))) throw new Error(`terraform ${version} is too old for the preview stack: ${TERRAFORM_INSTALL_HINT}`);
  return version;
}

export const CREDENTIALS_HINT =
  'locally, set AWS_PROFILE (after `aws sso login` / `aws configure`) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; ' +
  'in GitHub Actions, assume the bootstrap deploy role with aws-actions/configure-aws-credentials (role-to-assume: its deploy_role_arn output, ' +
  'with `permissions: id-token: write`)';

/** The account ephenv's credentials belong to (STS GetCallerIdentity), checked before Terraform runs. */
export async function requireCredentials(settings: AwsSettings): Promise<string> {
  try {
    const identity = await new STSClient(clientConfig(settings)).send(new GetCallerIdentityCommand({}));
    if (!identity.Account) throw new Error('STS returned no account');
    return identity.Account;
  } catch (e) {
    throw new Error(`no usable AWS credentials (STS GetCallerIdentity: ${describe(e)}): ${CREDENTIALS_HINT}`);
  }
}

const BOOTSTRAP_HINT =
  'create it once per account with the Terraform module libs/infra/bootstrap (see its README), ' +
  'then set EPHENV_STATE_BUCKET and EPHENV_LOCK_TABLE (or "aws" in ephenv.json) to its state_bucket and lock_table outputs';

/** The state bucket and lock table exist and are reachable, so `terraform init` cannot fail on them halfway. */
export async function requireBackend(settings: AwsSettings): Promise<void> {
  const bucket = new S3Client(s3ClientConfig(settings))
    .send(new HeadBucketCommand({ Bucket: settings.stateBucket }))
    .catch((e: unknown) => {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (e as Error).name === 'NotFound' || (e as Error).name === 'NoSuchBucket') {
        throw new Error(`the Terraform state bucket "${settings.stateBucket}" does not exist in ${settings.region}: ${BOOTSTRAP_HINT}`);
      }
      if (status === 403) throw new Error(`access to the state bucket "${settings.stateBucket}" is denied (403): the deploy role of libs/infra/bootstrap may read and write it; check which credentials are in use`);
      throw new Error(`cannot reach the state bucket "${settings.stateBucket}": ${describe(e)}`);
    });
  const table = new DynamoDBClient(clientConfig(settings))
    .send(new DescribeTableCommand({ TableName: settings.lockTable }))
    .catch((e: unknown) => {
      if ((e as Error).name === 'ResourceNotFoundException') {
        throw new Error(`the Terraform lock table "${settings.lockTable}" does not exist in ${settings.region}: ${BOOTSTRAP_HINT}`);
      }
      throw new Error(`cannot reach the lock table "${settings.lockTable}": ${describe(e)}`);
    });
  const results = await Promise.allSettled([bucket, table]);
  const problems = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

export function describe(e: unknown): string {
  const error = e as Error;
  return `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${error.message?.split('\n')[0] ?? String(e)}`;
}
