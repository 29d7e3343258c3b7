output "state_bucket" {
  description = "S3 bucket holding preview state (backend-config bucket)."
  value       = aws_s3_bucket.state.id
}

output "lock_table" {
  description = "DynamoDB table locking preview state (backend-config dynamodb_table)."
  value       = aws_dynamodb_table.locks.name
}

output "aws_region" {
  description = "Region of the state bucket, lock table and repositories (backend-config region)."
  value       = local.region
}

output "ecr_repository_urls" {
  description = "ECR repository URL of each model, by model name; images are tagged with the git SHA."
  value       = { for name, repo in aws_ecr_repository.model : name => repo.repository_url }
}

output "deploy_role_arn" {
  description = "Role pull-request workflows assume (repository variable EPHENV_DEPLOY_ROLE_ARN) to deploy and destroy their previews."
  value       = aws_iam_role.github["deploy"].arn
}

output "reaper_role_arn" {
  description = "Role the reaper workflow on the default branch assumes (repository variable EPHENV_REAPER_ROLE_ARN) to reap expired previews."
  value       = aws_iam_role.github["reaper"].arn
}

output "preview_policy" {
  description = "The preview policy the deploy role's IAM conditions were written from (preview_policy_file with the schema's defaults)."
  value       = local.preview_policy
}

output "budget_name" {
  description = "AWS Budgets budget watching the monthly cost of resources tagged Environment=Ephemeral (null without budget_alert_emails)."
  value       = one(aws_budgets_budget.previews[*].name)
}

output "github_oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider the deploy and reaper roles trust."
  value       = local.github_oidc_provider_arn
}

output "preview_permissions_boundary_arn" {
  description = "Permissions boundary that preview roles must carry (preview-stack's permissions_boundary_arn)."
  value       = aws_iam_policy.preview_boundary.arn
}
