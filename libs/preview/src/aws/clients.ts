import type { AwsSettings } from './settings';

/**
 * Constructor options shared by every AWS SDK client ephenv creates: the previews' region and,
 * when AWS_ENDPOINT_URL points at an emulator, that endpoint. Credentials come from the SDK's
 * default chain (environment, profile, OIDC web identity in CI).
 */
export function clientConfig(settings: Pick<AwsSettings, 'region' | 'endpoint'>) {
  return { region: settings.region, ...(settings.endpoint ? { endpoint: settings.endpoint } : {}) };
}

/** S3 needs path-style addressing on an emulator: bucket names are not DNS names there. */
export function s3ClientConfig(settings: Pick<AwsSettings, 'region' | 'endpoint'>) {
  return { ...clientConfig(settings), ...(settings.endpoint ? { forcePathStyle: true } : {}) };
}
