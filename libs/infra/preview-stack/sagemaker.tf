locals {
  # SageMaker models and endpoint configs are immutable: their names carry a short hash of what
  # defines them, so a change creates a new one before the endpoint switches over and the old one goes.
  model_name = "${local.name}-${substr(sha1(jsonencode({
    image       = var.image_uri
    model_data  = var.model_data_url
    environment = var.model_environment
    role        = "${var.iam_path}${local.name}-sagemaker"
  })), 0, 8)}"

  serverless = var.endpoint_type == "serverless"

  endpoint_config_name = "${local.name}-${substr(sha1(jsonencode({
    model           = local.model_name
    endpoint_type   = var.endpoint_type
    memory_size_mb  = local.serverless ? var.memory_size_mb : null
    max_concurrency = local.serverless ? var.max_concurrency : null
    instance_type   = local.serverless ? null : var.instance_type
    instance_count  = local.serverless ? null : var.instance_count
  })), 0, 8)}"

  # Every tag but GitSha: the model, its endpoint config and the endpoint change only when the
  # serving does (the image, named by its content, or the endpoint's size), not on every commit.
  # Which commit runs is on the gateway Lambda, the roles and the log groups.
  serving_tags = { for key, value in local.tags : key => value if key != "GitSha" }
}

resource "aws_cloudwatch_log_group" "endpoint" {
  name              = local.log_group_names.endpoint
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_sagemaker_model" "this" {
  name               = local.model_name
  execution_role_arn = aws_iam_role.sagemaker.arn
  # Serverless endpoints do not support network isolation; stated so the plan matches what the API reports.
  enable_network_isolation = false

  primary_container {
    image          = var.image_uri
    model_data_url = var.model_data_url
    environment    = length(var.model_environment) > 0 ? var.model_environment : null
  }

  tags = local.serving_tags

  # The role's policy must exist before SageMaker pulls the image with it.
  depends_on = [aws_iam_role_policy.sagemaker]

  lifecycle {
    create_before_destroy = true
    # Never set here; some APIs (moto's emulator) echo an empty VPC config, which would force a replacement.
    ignore_changes = [vpc_config]
  }
}

resource "aws_sagemaker_endpoint_configuration" "this" {
  name = local.endpoint_config_name

  production_variants {
    variant_name           = "AllTraffic"
    model_name             = aws_sagemaker_model.this.name
    instance_type          = local.serverless ? null : var.instance_type
    initial_instance_count = local.serverless ? null : var.instance_count

    dynamic "serverless_config" {
      for_each = local.serverless ? [1] : []

      content {
        memory_size_in_mb = var.memory_size_mb
        max_concurrency   = var.max_concurrency
      }
    }
  }

  tags = local.serving_tags

  lifecycle {
    create_before_destroy = true
    # Never set here; some APIs (moto's emulator) echo an empty data capture config, which would force a replacement.
    ignore_changes = [data_capture_config]
  }
}

resource "aws_sagemaker_endpoint" "this" {
  name                 = local.name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this.name
  tags                 = local.serving_tags

  # SageMaker writes to this group; created first so destroy leaves no orphan behind.
  depends_on = [aws_cloudwatch_log_group.endpoint]
}
