output "name" {
  description = "Name every resource of this preview starts with: <project>-pr-<pr_number>."
  value       = local.name
}

output "api_url" {
  description = "Invoke URL of the preview's HTTP API (the $default stage); callers append /ping, /invocations or /schema."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "api_id" {
  description = "ID of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "endpoint_name" {
  description = "Name of the SageMaker endpoint serving the model."
  value       = aws_sagemaker_endpoint.this.name
}

output "endpoint_arn" {
  description = "ARN of the SageMaker endpoint."
  value       = aws_sagemaker_endpoint.this.arn
}

output "endpoint_config_name" {
  description = "Name of the SageMaker endpoint configuration currently behind the endpoint."
  value       = aws_sagemaker_endpoint_configuration.this.name
}

output "model_name" {
  description = "Name of the SageMaker model currently behind the endpoint."
  value       = aws_sagemaker_model.this.name
}

output "lambda_function_name" {
  description = "Name of the gateway Lambda function."
  value       = aws_lambda_function.gateway.function_name
}

output "log_group_names" {
  description = "CloudWatch log groups of the preview, by role: gateway (Lambda), access (API Gateway access logs), endpoint (SageMaker)."
  value = {
    gateway  = aws_cloudwatch_log_group.gateway.name
    access   = aws_cloudwatch_log_group.access.name
    endpoint = aws_cloudwatch_log_group.endpoint.name
  }
}

output "token_parameter_name" {
  description = "Name of the SSM SecureString holding the preview's bearer token."
  value       = aws_ssm_parameter.token.name
}

output "max_body_bytes" {
  description = "Largest request body the gateway accepts, in bytes."
  value       = local.max_body_bytes
}

output "created_at" {
  description = "When the preview was first applied (RFC 3339, UTC); kept across later applies."
  value       = local.created_at
}

output "expires_at" {
  description = "When the preview expires (created_at + ttl_hours, RFC 3339, UTC); the reaper destroys it after this."
  value       = local.expires_at
}

output "tags" {
  description = "Tags set on every resource of the preview."
  value       = local.tags
}
