data "aws_partition" "current" {}

# CreatedAt is captured once, when the preview is first applied: later applies keep the stored
# value, so ExpiresAt only moves when ttl_hours changes.
resource "terraform_data" "created_at" {
  input = timestamp()

  lifecycle {
    ignore_changes = [input]
  }
}

locals {
  name = "${var.project}-pr-${var.pr_number}"

  created_at = terraform_data.created_at.output
  expires_at = timeadd(local.created_at, "${var.ttl_hours}h")

  tags = merge(var.tags, {
    Environment = "Ephemeral"
    ManagedBy   = "ephenv"
    Project     = var.project
    PR_Number   = var.pr_number
    GitSha      = var.git_sha
    CreatedAt   = local.created_at
    ExpiresAt   = local.expires_at
  })

  # The endpoint's own body limits (SageMaker InvokeEndpoint): 6 MB realtime, 4 MB serverless.
  max_body_bytes = coalesce(var.max_body_bytes, var.endpoint_type == "realtime" ? 6291456 : 4194304)

  log_group_names = {
    gateway  = "/aws/lambda/${local.name}-gateway"
    access   = "/aws/apigateway/${local.name}/access"
    endpoint = "/aws/sagemaker/Endpoints/${local.name}"
  }
}
