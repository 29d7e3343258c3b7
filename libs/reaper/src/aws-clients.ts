import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SSMClient } from '@aws-sdk/client-ssm';

/** The AWS API clients the reaper talks to, all for one account and region. */
export interface ReaperClients {
  sagemaker: SageMakerClient;
  s3: S3Client;
  lambda: LambdaClient;
  apigateway: ApiGatewayV2Client;
  logs: CloudWatchLogsClient;
  ssm: SSMClient;
  iam: IAMClient;
  tagging: ResourceGroupsTaggingAPIClient;
  /** Closes the clients' connection pools. */
  destroy(): void;
}

export interface ReaperClientConfig {
  region: string;
  /** An emulator's URL; without it the SDK reads AWS_ENDPOINT_URL itself, or talks to AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * One client per service. S3 uses path-style addressing whenever an endpoint is overridden: an
 * emulator on 127.0.0.1:<port> has no `<bucket>.<host>` names.
 */
export function reaperClients(config: ReaperClientConfig, env: NodeJS.ProcessEnv = process.env): ReaperClients {
  const base = { region: config.region, ...(config.endpoint ? { endpoint: config.endpoint } : {}), ...(config.credentials ? { credentials: config.credentials } : {}) };
  const forcePathStyle = Boolean(config.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL);
  const clients = {
    sagemaker: new SageMakerClient(base),
    s3: new S3Client({ ...base, forcePathStyle }),
    lambda: new LambdaClient(base),
    apigateway: new ApiGatewayV2Client(base),
    logs: new CloudWatchLogsClient(base),
    ssm: new SSMClient(base),
    iam: new IAMClient(base),
    tagging: new ResourceGroupsTaggingAPIClient(base),
  };
  return {
    ...clients,
    destroy: () => Object.values(clients).forEach((client) => client.destroy()),
  };
}
