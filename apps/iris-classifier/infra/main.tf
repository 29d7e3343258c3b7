# Root stack of one model's preview. The backend is configured at init time, one state per PR:
#   terraform init -backend-config=bucket=<state bucket> -backend-config=key=previews/<project>/pr-<n>.tfstate \
#                  -backend-config=region=<region> -backend-config=dynamodb_table=<lock table> -backend-config=encrypt=true
terraform {
  backend "s3" {}
}

provider "aws" {
  region = var.aws_region
}

module "preview" {
  source = "../../../libs/infra/preview-stack"

  project   = var.project
  pr_number = var.pr
  git_sha   = var.git_sha
  ttl_hours = var.ttl_hours

  image_uri       = var.image_uri
  endpoint_type   = var.endpoint_type
  instance_type   = var.instance_type
  instance_count  = var.instance_count
  memory_size_mb  = var.memory_size_mb
  max_concurrency = var.max_concurrency

  gateway_zip      = var.gateway_zip
  token            = var.token
  max_body_bytes   = var.max_body_bytes
  model_timeout_ms = var.model_timeout_ms

  gateway_reserved_concurrency = var.gateway_reserved_concurrency

  permissions_boundary_arn = var.permissions_boundary_arn

  # The preview policy, passed by ephenv from ephenv.policy.json on the base branch.
  allowed_instance_types        = var.allowed_instance_types
  max_instance_count            = var.max_instance_count
  max_serverless_memory_size_mb = var.max_serverless_memory_size_mb
  max_serverless_concurrency    = var.max_serverless_concurrency
  max_ttl_hours                 = var.max_ttl_hours
}
