// One AWS client factory for all of ephenv: core's (one forcePathStyle rule for preview, reaper and tests).
import { awsClientConfig } from '@ephenv/core';
import type { AwsSettings } from './settings';

export { s3ClientConfig } from '@ephenv/core';

/** Constructor options for the previews' region and, when AWS_ENDPOINT_URL points at an emulator, that endpoint. */
export const clientConfig = (settings: Pick<AwsSettings, 'region' | 'endpoint'>) => awsClientConfig(settings);
