# Policies are built with jsonencode rather than aws_iam_policy_document data sources: a data
# source that references a resource with pending changes (any tag update) is read only at apply,
# which would show every policy as changed on every re-deploy.

locals {
  image = regex("^(?P<account>[0-9]{12})\\.dkr\\.ecr\\.(?P<region>[a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/(?P<repository>[^:@]+)", var.image_uri)

  ecr_repository_arn = "arn:${data.aws_partition.current.partition}:ecr:${local.image.region}:${local.image.account}:repository/${local.image.repository}"

  model_data_object_arn = var.model_data_url == null ? null : "arn:${data.aws_partition.current.partition}:s3:::${trimprefix(var.model_data_url, "s3://")}"
}

################################################################################
# SageMaker execution role: pull this image, write this endpoint's logs
################################################################################

resource "aws_iam_role" "sagemaker" {
  name        = "${local.name}-sagemaker"
  path        = var.iam_path
  description = "SageMaker execution role of the ephenv preview ${local.name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "sagemaker.amazonaws.com" }
    }]
  })
  permissions_boundary = var.permissions_boundary_arn
  tags                 = local.tags
}

resource "aws_iam_role_policy" "sagemaker" {
  name = "model-runtime"
  role = aws_iam_role.sagemaker.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(local.sagemaker_statements, local.model_data_statements)
  })
}

locals {
  sagemaker_statements = [
    {
      # GetAuthorizationToken has no resource-level permissions.
      Sid      = "EcrLogin"
      Effect   = "Allow"
      Action   = "ecr:GetAuthorizationToken"
      Resource = "*"
    },
    {
      Sid      = "PullModelImage"
      Effect   = "Allow"
      Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      Resource = local.ecr_repository_arn
    },
    {
      Sid      = "WriteEndpointLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
      Resource = "${aws_cloudwatch_log_group.endpoint.arn}:*"
    },
  ]

  model_data_statements = local.model_data_object_arn == null ? [] : [{
    Sid      = "ReadModelData"
    Effect   = "Allow"
    Action   = "s3:GetObject"
    Resource = local.model_data_object_arn
  }]
}

################################################################################
# Gateway Lambda role: invoke this endpoint, read this token, write this log group
################################################################################

resource "aws_iam_role" "gateway" {
  name        = "${local.name}-gateway"
  path        = var.iam_path
  description = "Gateway Lambda role of the ephenv preview ${local.name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
  permissions_boundary = var.permissions_boundary_arn
  tags                 = local.tags
}

resource "aws_iam_role_policy" "gateway" {
  name = "gateway-runtime"
  role = aws_iam_role.gateway.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "InvokeModel"
        Effect   = "Allow"
        Action   = "sagemaker:InvokeEndpoint"
        Resource = aws_sagemaker_endpoint.this.arn
      },
      {
        # The token is encrypted with the AWS-managed aws/ssm key, whose key policy already lets
        # principals of this account decrypt through SSM: no kms statement is needed.
        Sid      = "ReadToken"
        Effect   = "Allow"
        Action   = "ssm:GetParameter"
        Resource = aws_ssm_parameter.token.arn
      },
      {
        Sid      = "WriteGatewayLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.gateway.arn}:*"
      },
    ]
  })
}
