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
  description = "Role GitHub Actions assumes (aws-actions/configure-aws-credentials role-to-assume) to deploy, destroy and reap previews."
  value       = aws_iam_role.deploy.arn
}

output "github_oidc_provider_arn" {
  description = "ARN of the GitHub Actions OIDC provider the deploy role trusts."
  value       = local.github_oidc_provider_arn
}

output "preview_permissions_boundary_arn" {
  description = "Permissions boundary that preview roles must carry (preview-stack's permissions_boundary_arn)."
  value       = aws_iam_policy.preview_boundary.arn
}
