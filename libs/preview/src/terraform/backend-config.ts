export interface S3BackendOptions {
  bucket: string;
  /** State object key, one per model and PR, e.g. `iris-classifier/pr-42/terraform.tfstate`. */
  key: string;
  region: string;
  /** DynamoDB table (hash key LockID) that serialises runs on the same key. */
  lockTable: string;
  /**
   * An AWS emulator's URL (moto): the backend then talks to it with path-style S3 addressing and
   * skips the account, credential and region checks that only real AWS can answer.
   */
  endpoint?: string;
}

/** `-backend-config=...` arguments for `terraform init` of a root stack with `backend "s3" {}`. */
export function s3BackendArgs(options: S3BackendOptions): string[] {
  const settings: [string, string][] = [
    ['bucket', options.bucket],
    ['key', options.key],
    ['region', options.region],
    ['dynamodb_table', options.lockTable],
    ['encrypt', 'true'],
  ];
  if (options.endpoint) {
    const url = JSON.stringify(options.endpoint);
    settings.push(
      ['endpoints', `{s3=${url},dynamodb=${url}}`],
      ['use_path_style', 'true'],
      ['skip_credentials_validation', 'true'],
      ['skip_requesting_account_id', 'true'],
      ['skip_metadata_api_check', 'true'],
      ['skip_region_validation', 'true'],
    );
  }
  return settings.map(([name, value]) => `-backend-config=${name}=${value}`);
}
