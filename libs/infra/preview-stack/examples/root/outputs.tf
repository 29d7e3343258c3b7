output "api_url" {
  description = "Invoke URL of the preview's HTTP API."
  value       = module.preview.api_url
}

output "endpoint_name" {
  description = "Name of the SageMaker endpoint."
  value       = module.preview.endpoint_name
}

output "endpoint_config_name" {
  description = "Name of the SageMaker endpoint configuration."
  value       = module.preview.endpoint_config_name
}

output "model_name" {
  description = "Name of the SageMaker model."
  value       = module.preview.model_name
}

output "lambda_function_name" {
  description = "Name of the gateway Lambda function."
  value       = module.preview.lambda_function_name
}

output "log_group_names" {
  description = "CloudWatch log groups of the preview, by role."
  value       = module.preview.log_group_names
}

output "token_parameter_name" {
  description = "SSM parameter holding the preview's bearer token."
  value       = module.preview.token_parameter_name
}

output "max_body_bytes" {
  description = "Largest request body the gateway accepts, in bytes."
  value       = module.preview.max_body_bytes
}

output "created_at" {
  description = "When the preview was first applied."
  value       = module.preview.created_at
}

output "expires_at" {
  description = "When the preview expires."
  value       = module.preview.expires_at
}

output "tags" {
  description = "Tags on every resource of the preview."
  value       = module.preview.tags
}
