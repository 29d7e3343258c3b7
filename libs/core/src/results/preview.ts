// preview.json: written by the provider that deployed the preview (libs/preview), read by the
// report, the pipeline and CI. Never the token; everything provider-specific is filled in by the
// provider, so a reader renders it without asking which provider it is.
import type { ProviderName } from '../provider-name';
import type { DeploymentSummary } from '../records';

/** How a person reaches a preview: filled in by its provider, rendered as is by the report. */
export interface PreviewAccess {
  /** true: a public HTTPS URL (the comment links it); false: an address only the deploying machine reaches. */
  public: boolean;
  /** Where the token is kept (never the token itself) and the command that prints it. */
  token: {
    /** What holds it, e.g. "SSM SecureString", "preview record". */
    kind: string;
    /** Its name there: the parameter name, the record file. */
    name: string;
    note?: string;
    command: string;
  };
  /** Where the logs are: files on the deploying machine, or CloudWatch log groups; and the command that prints them. */
  logs: {
    command: string;
    files?: Record<string, string>;
    cloudWatch?: { region: string; groups: Record<string, string> };
  };
  /** The command that destroys the preview. */
  destroyCommand: string;
  /** true: the reaper removes the preview once its TTL has passed; false: it runs until destroyed. */
  reaped: boolean;
}

/** What the cloud bills a preview by, from its provider; absent in preview.json when nothing is billed. */
export interface PreviewCostInputs {
  region: string;
  endpointType: 'serverless' | 'realtime';
  instanceType?: string;
  instanceCount?: number;
  memorySizeMb?: number;
  gatewayMemoryMb?: number;
  gatewayArchitecture?: string;
}

/** Terraform's outputs for an aws preview, under Terraform's own (snake_case) names, plus where its state is. */
export interface AwsPreviewOutputs {
  region: string;
  state_bucket?: string;
  state_key?: string;
  image_uri?: string;
  endpoint_type?: 'serverless' | 'realtime';
  instance_type?: string;
  instance_count?: number;
  memory_size_mb?: number;
  max_concurrency?: number;
  name?: string;
  api_url?: string;
  api_id?: string;
  endpoint_name?: string;
  endpoint_arn?: string;
  endpoint_config_name?: string;
  model_name?: string;
  lambda_function_name?: string;
  log_group_names?: Record<string, string>;
  token_parameter_name?: string;
  max_body_bytes?: number;
  created_at?: string;
  expires_at?: string;
  tags?: Record<string, string>;
  timings_ms?: Record<string, number>;
}

/** `dist/ephenv/<project>/preview.json`: the preview record without its token and processes. */
export interface PreviewOutput {
  project: string;
  provider: ProviderName;
  url: string;
  pr: string;
  gitSha: string;
  startedAt: string;
  endpointType: 'serverless' | 'realtime';
  ttlHours: number;
  /** When the preview is removed for its age, when the provider knows (aws: the ExpiresAt tag). */
  expiresAt?: string;
  access: PreviewAccess;
  cost?: PreviewCostInputs;
  aws?: AwsPreviewOutputs;
  deployment?: DeploymentSummary;
}
