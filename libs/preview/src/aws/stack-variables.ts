import type { ModelConfig, PreviewPolicy } from '@ephenv/core';

export interface StackInputs {
  project: string;
  pr: string;
  gitSha: string;
  imageUri: string;
  gatewayZip: string;
  region: string;
  /** The model's ephenv.json; absent when destroying the preview of a model whose folder is gone (defaults then apply). */
  config?: ModelConfig;
  /**
   * The preview policy read from the base branch: preview-stack's variable validation enforces it
   * again at plan time. Absent for a destroy, which then admits the config's own values: removing
   * a preview must never be refused because the policy was tightened after it was created.
   */
  policy?: PreviewPolicy;
  env?: NodeJS.ProcessEnv;
}

/** The policy a destroy runs under: exactly what the preview being removed asks for. */
function admitting(config: ModelConfig): PreviewPolicy {
  return {
    allowedInstanceTypes: [config.endpoint.instanceType],
    maxInstanceCount: config.endpoint.instanceCount,
    maxServerlessMemorySizeMb: config.endpoint.memorySizeMb,
    maxServerlessConcurrency: config.endpoint.maxConcurrency,
    maxTtlHours: config.ttlHours,
  };
}

/** preview-stack's policy variables (allowed_instance_types, max_instance_count, ...). */
export function policyVariables(policy: PreviewPolicy): Record<string, string> {
  return {
    allowed_instance_types: JSON.stringify(policy.allowedInstanceTypes),
    max_instance_count: String(policy.maxInstanceCount),
    max_serverless_memory_size_mb: String(policy.maxServerlessMemorySizeMb),
    max_serverless_concurrency: String(policy.maxServerlessConcurrency),
    max_ttl_hours: String(policy.maxTtlHours),
  };
}

/**
 * The root stack's variables (apps/<model>/infra/variables.tf), from ephenv.json and the deploy.
 * The token is not among them: it travels as TF_VAR_token in Terraform's environment, never argv.
 */
export function stackVariables(inputs: StackInputs): Record<string, string> {
  const env = inputs.env ?? process.env;
  const vars: Record<string, string> = {
    aws_region: inputs.region,
    project: inputs.project,
    pr: inputs.pr,
    git_sha: inputs.gitSha,
    image_uri: inputs.imageUri,
    gateway_zip: inputs.gatewayZip,
  };
  const config = inputs.config;
  if (config) {
    Object.assign(vars, {
      ttl_hours: String(config.ttlHours),
      endpoint_type: config.endpoint.type,
      instance_type: config.endpoint.instanceType,
      instance_count: String(config.endpoint.instanceCount),
      memory_size_mb: String(config.endpoint.memorySizeMb),
      max_concurrency: String(config.endpoint.maxConcurrency),
      model_timeout_ms: String(config.endpoint.timeoutSeconds * 1000),
    });
  }
  const policy = inputs.policy ?? (config && admitting(config));
  if (policy) Object.assign(vars, policyVariables(policy));
  // The bootstrap deploy role may only create preview roles under its boundary (output preview_permissions_boundary_arn).
  if (env.EPHENV_PERMISSIONS_BOUNDARY_ARN) vars.permissions_boundary_arn = env.EPHENV_PERMISSIONS_BOUNDARY_ARN;
  return vars;
}

export function variableArgs(vars: Record<string, string>): string[] {
  return Object.entries(vars).flatMap(([name, value]) => ['-var', `${name}=${value}`]);
}
