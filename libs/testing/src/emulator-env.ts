import { awsClientConfig, s3ClientConfig } from '@ephenv/core';

/** Region the emulator's resources live in unless a caller picks another. */
export const EMULATOR_REGION = 'us-east-1';

/** Dummy credentials: the emulator accepts any, and real AWS rejects these, so nothing leaks there. */
const DUMMY_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/**
 * Variables that would make an AWS client fetch credentials from elsewhere (a profile, SSO, a web
 * identity, a container endpoint) instead of using the dummy ones.
 */
const CREDENTIAL_SOURCES = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
];

/**
 * The variables that point Terraform, the AWS SDK v3 and boto3 at an emulator: every service's
 * endpoint (AWS_ENDPOINT_URL), dummy credentials, a region, and no instance-metadata lookups.
 */
export function emulatorEnv(endpoint: string, region = EMULATOR_REGION): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** A child-process environment: `base` without other credential sources, plus `emulatorEnv`. */
export function emulatorProcessEnv(
  endpoint: string,
  base: NodeJS.ProcessEnv = process.env,
  region = EMULATOR_REGION,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of CREDENTIAL_SOURCES) delete env[name];
  return { ...env, ...emulatorEnv(endpoint, region) };
}

/** Constructor options for an AWS SDK v3 client talking to the emulator, e.g. `new SSMClient(emulatorClientConfig(url))`. */
export function emulatorClientConfig(endpoint: string, region = EMULATOR_REGION) {
  return awsClientConfig({ endpoint, region, credentials: { ...DUMMY_CREDENTIALS } });
}

/** The same for S3 (path-style, as core's factory sets it for any overridden endpoint). */
export function emulatorS3ClientConfig(endpoint: string, region = EMULATOR_REGION) {
  return s3ClientConfig({ endpoint, region, credentials: { ...DUMMY_CREDENTIALS } });
}
