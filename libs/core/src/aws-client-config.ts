/** Where an AWS SDK client talks to: a region and, for an emulator, its endpoint and credentials. */
export interface AwsClientTarget {
  region: string;
  /** An emulator's URL; without it the SDK reads AWS_ENDPOINT_URL itself, or talks to AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * Constructor options for every AWS SDK client ephenv creates (preview, reaper, tests). Without
 * credentials, the SDK's default chain applies (environment, profile, OIDC web identity in CI).
 */
export function awsClientConfig(target: AwsClientTarget) {
  return { region: target.region, ...(target.endpoint ? { endpoint: target.endpoint } : {}), ...(target.credentials ? { credentials: target.credentials } : {}) };
}

/**
 * The same for S3, with the one path-style rule: whenever the endpoint is overridden (here or by
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_S3), since an emulator on 127.0.0.1:<port> has no `<bucket>.<host>` names.
 */
export function s3ClientConfig(target: AwsClientTarget, env: NodeJS.ProcessEnv = process.env) {
  return { ...awsClientConfig(target), forcePathStyle: Boolean(target.endpoint || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL) };
}
