import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SSMClient } from '@aws-sdk/client-ssm';
import { awsClientConfig, s3ClientConfig, type AwsClientTarget } from '@ephenv/core';

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

export type ReaperClientConfig = AwsClientTarget;

/** One client per service, configured by core's one AWS client factory. */
export function reaperClients(config: ReaperClientConfig, env: NodeJS.ProcessEnv = process.env): ReaperClients {
  const base = awsClientConfig(config);
  const clients = {
    sagemaker: new SageMakerClient(base),
    s3: new S3Client(s3ClientConfig(config, env)),
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
