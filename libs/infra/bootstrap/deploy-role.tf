################################################################################
# GitHub Actions OIDC provider and the two roles it may assume: deploy (pull
# requests) and reaper (the default branch's reaper workflow)
################################################################################

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = var.github_oidc_thumbprints
  tags            = local.tags
}

locals {
  github_oidc_provider_arn = var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : var.github_oidc_provider_arn

  arn_prefix = {
    sagemaker = "arn:${local.partition}:sagemaker:${local.region}:${local.account}"
    lambda    = "arn:${local.partition}:lambda:${local.region}:${local.account}:function"
    logs      = "arn:${local.partition}:logs:${local.region}:${local.account}:log-group"
    ssm       = "arn:${local.partition}:ssm:${local.region}:${local.account}:parameter"
    iam_role  = "arn:${local.partition}:iam::${local.account}:role"
  }

  preview_arns = {
    # model/, endpoint-config/ and endpoint/ of every preview, each spelled out
    sagemaker        = flatten([for name in local.preview_names : [for kind in ["model", "endpoint-config", "endpoint"] : "${local.arn_prefix.sagemaker}:${kind}/${name}"]])
    endpoints        = [for name in local.preview_names : "${local.arn_prefix.sagemaker}:endpoint/${name}"]
    endpoint_configs = [for name in local.preview_names : "${local.arn_prefix.sagemaker}:endpoint-config/${name}"]
    lambda           = [for name in local.preview_names : "${local.arn_prefix.lambda}:${name}"]
    # /aws/lambda/<name>-gateway, /aws/apigateway/<name>/access, /aws/sagemaker/Endpoints/<name>
    log_groups = [for name in local.preview_names : "${local.arn_prefix.logs}:/aws/*/${name}"]
    parameters = [for name in local.preview_names : "${local.arn_prefix.ssm}:${var.parameter_prefix}/${name}"]
    roles      = [for name in local.preview_names : "${local.arn_prefix.iam_role}${var.iam_path}${name}"]
  }

  ecr_repository_arns = [for repo in aws_ecr_repository.model : repo.arn]
}

locals {
  oidc = "token.actions.githubusercontent.com"

  # Exact subjects (StringEquals, no wildcard): GitHub's `sub` claim is repo:<owner>/<repo>:pull_request
  # for every pull_request event, and repo:<owner>/<repo>:ref:refs/heads/<branch> for a schedule or
  # workflow_dispatch on that branch. A push to a feature branch matches neither.
  trust = {
    deploy = {
      "${local.oidc}:aud" = "sts.amazonaws.com"
      "${local.oidc}:sub" = "repo:${var.github_repository}:pull_request"
    }
    # IAM also evaluates GitHub's job_workflow_ref claim: only the reaper workflow of the default
    # branch, not another workflow someone adds there, gets the reaper role.
    reaper = {
      "${local.oidc}:aud"              = "sts.amazonaws.com"
      "${local.oidc}:sub"              = "repo:${var.github_repository}:ref:refs/heads/${var.github_default_branch}"
      "${local.oidc}:job_workflow_ref" = "${var.github_repository}/${var.reaper_workflow}@refs/heads/${var.github_default_branch}"
    }
  }

  role_names = {
    deploy = var.deploy_role_name
    reaper = var.reaper_role_name
  }
}

resource "aws_iam_role" "github" {
  for_each = local.role_names

  name = each.value
  path = var.iam_path
  description = each.key == "deploy" ? "Deploys and destroys ephenv previews from pull-request workflows of ${var.github_repository}" : (
    "Reaps expired ephenv previews from ${var.reaper_workflow} on ${var.github_default_branch} of ${var.github_repository}"
  )
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = local.github_oidc_provider_arn }
      Condition = { StringEquals = local.trust[each.key] }
    }]
  })
  tags = local.tags

  lifecycle {
    precondition {
      condition     = local.github_oidc_provider_arn != null
      error_message = "Set github_oidc_provider_arn to the account's existing GitHub OIDC provider, or create_github_oidc_provider = true."
    }
  }
}

################################################################################
# Permissions boundary of preview roles: the most a preview's SageMaker or Lambda
# role can ever do, whatever inline policy the deploy role gives it
################################################################################

locals {
  preview_boundary_statements = [
    {
      Sid      = "EcrLogin"
      Effect   = "Allow"
      Action   = "ecr:GetAuthorizationToken"
      Resource = "*"
    },
    {
      Sid      = "PullModelImages"
      Effect   = "Allow"
      Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      Resource = local.ecr_repository_arns
    },
    {
      Sid      = "WritePreviewLogs"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
      Resource = [for arn in local.preview_arns.log_groups : "${arn}:*"]
    },
    {
      Sid      = "InvokePreviewEndpoints"
      Effect   = "Allow"
      Action   = "sagemaker:InvokeEndpoint"
      Resource = local.preview_arns.endpoints
    },
    {
      Sid      = "ReadPreviewTokens"
      Effect   = "Allow"
      Action   = "ssm:GetParameter"
      Resource = local.preview_arns.parameters
    },
  ]

  model_data_statements = length(var.model_data_bucket_arns) == 0 ? [] : [{
    Sid      = "ReadModelData"
    Effect   = "Allow"
    Action   = "s3:GetObject"
    Resource = [for arn in var.model_data_bucket_arns : "${arn}/*"]
  }]
}

resource "aws_iam_policy" "preview_boundary" {
  name        = "${var.deploy_role_name}-preview-boundary"
  path        = var.iam_path
  description = "Permissions boundary of ephenv preview roles"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(local.preview_boundary_statements, local.model_data_statements)
  })
  tags = local.tags
}
