################################################################################
# GitHub Actions OIDC provider and the deploy role it may assume
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
    # model/, endpoint-config/ and endpoint/ of every preview
    sagemaker = [for name in local.preview_names : "${local.arn_prefix.sagemaker}:*/${name}"]
    endpoints = [for name in local.preview_names : "${local.arn_prefix.sagemaker}:endpoint/${name}"]
    lambda    = [for name in local.preview_names : "${local.arn_prefix.lambda}:${name}"]
    # /aws/lambda/<name>-gateway, /aws/apigateway/<name>/access, /aws/sagemaker/Endpoints/<name>
    log_groups = [for name in local.preview_names : "${local.arn_prefix.logs}:/aws/*/${name}"]
    parameters = [for name in local.preview_names : "${local.arn_prefix.ssm}:${var.parameter_prefix}/${name}"]
    roles      = [for name in local.preview_names : "${local.arn_prefix.iam_role}${var.iam_path}${name}"]
  }

  ecr_repository_arns = [for repo in aws_ecr_repository.model : repo.arn]
}

resource "aws_iam_role" "deploy" {
  name        = var.deploy_role_name
  path        = var.iam_path
  description = "Deploys, destroys and reaps ephenv previews from GitHub Actions of ${var.github_repository}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = local.github_oidc_provider_arn }
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:${var.github_repository}:*" }
      }
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
# What the deploy role may do: one managed policy per concern, each well under
# IAM's 6,144-character limit however many models the workspace has
################################################################################

locals {
  deploy_policies = {
    state = {
      description = "Read and write preview state in the state bucket, with DynamoDB locking"
      statements = [
        {
          Sid      = "ListState"
          Effect   = "Allow"
          Action   = "s3:ListBucket"
          Resource = aws_s3_bucket.state.arn
        },
        {
          Sid      = "ReadWriteState"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
          Resource = "${aws_s3_bucket.state.arn}/*"
        },
        {
          Sid      = "LockState"
          Effect   = "Allow"
          Action   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
          Resource = aws_dynamodb_table.locks.arn
        },
      ]
    }

    images = {
      description = "Push model images to the workspace's ECR repositories"
      statements = [
        {
          Sid      = "EcrLogin"
          Effect   = "Allow"
          Action   = "ecr:GetAuthorizationToken"
          Resource = "*"
        },
        {
          Sid    = "PushModelImages"
          Effect = "Allow"
          Action = [
            "ecr:BatchCheckLayerAvailability",
            "ecr:BatchGetImage",
            "ecr:CompleteLayerUpload",
            "ecr:DescribeImages",
            "ecr:DescribeRepositories",
            "ecr:GetDownloadUrlForLayer",
            "ecr:InitiateLayerUpload",
            "ecr:ListImages",
            "ecr:PutImage",
            "ecr:UploadLayerPart",
          ]
          Resource = local.ecr_repository_arns
        },
      ]
    }

    models = {
      description = "Manage the SageMaker models, endpoint configs and endpoints of previews"
      statements = [
        {
          Sid    = "ManagePreviewSageMaker"
          Effect = "Allow"
          Action = [
            "sagemaker:AddTags",
            "sagemaker:CreateEndpoint",
            "sagemaker:CreateEndpointConfig",
            "sagemaker:CreateModel",
            "sagemaker:DeleteEndpoint",
            "sagemaker:DeleteEndpointConfig",
            "sagemaker:DeleteModel",
            "sagemaker:DeleteTags",
            "sagemaker:DescribeEndpoint",
            "sagemaker:DescribeEndpointConfig",
            "sagemaker:DescribeModel",
            "sagemaker:InvokeEndpoint",
            "sagemaker:ListTags",
            "sagemaker:UpdateEndpoint",
          ]
          Resource = local.preview_arns.sagemaker
        },
        {
          # List actions have no resource-level permissions; the reaper uses them to find orphans.
          Sid      = "FindPreviews"
          Effect   = "Allow"
          Action   = ["sagemaker:ListEndpointConfigs", "sagemaker:ListEndpoints", "sagemaker:ListModels", "tag:GetResources"]
          Resource = "*"
        },
      ]
    }

    gateways = {
      description = "Manage the gateway Lambdas, HTTP APIs and token parameters of previews"
      statements = [
        {
          Sid    = "ManagePreviewLambdas"
          Effect = "Allow"
          Action = [
            "lambda:AddPermission",
            "lambda:CreateFunction",
            "lambda:DeleteFunction",
            "lambda:GetFunction",
            "lambda:GetFunctionCodeSigningConfig",
            "lambda:GetFunctionConfiguration",
            "lambda:GetPolicy",
            "lambda:ListTags",
            "lambda:ListVersionsByFunction",
            "lambda:RemovePermission",
            "lambda:TagResource",
            "lambda:UntagResource",
            "lambda:UpdateFunctionCode",
            "lambda:UpdateFunctionConfiguration",
          ]
          Resource = local.preview_arns.lambda
        },
        {
          # API Gateway authorizes by path (IDs, not names): any HTTP API of this region.
          Sid    = "ManageHttpApis"
          Effect = "Allow"
          Action = ["apigateway:DELETE", "apigateway:GET", "apigateway:PATCH", "apigateway:POST", "apigateway:PUT"]
          Resource = [
            "arn:${local.partition}:apigateway:${local.region}::/apis",
            "arn:${local.partition}:apigateway:${local.region}::/apis/*",
            "arn:${local.partition}:apigateway:${local.region}::/tags/*",
          ]
        },
        {
          Sid    = "ManagePreviewTokens"
          Effect = "Allow"
          Action = [
            "ssm:AddTagsToResource",
            "ssm:DeleteParameter",
            "ssm:GetParameter",
            "ssm:GetParameters",
            "ssm:ListTagsForResource",
            "ssm:PutParameter",
            "ssm:RemoveTagsFromResource",
          ]
          Resource = local.preview_arns.parameters
        },
        {
          Sid      = "DescribeParameters"
          Effect   = "Allow"
          Action   = "ssm:DescribeParameters"
          Resource = "*"
        },
      ]
    }

    logs = {
      description = "Manage the log groups of previews and API Gateway access-log delivery"
      statements = [
        {
          Sid    = "ManagePreviewLogGroups"
          Effect = "Allow"
          Action = [
            "logs:CreateLogGroup",
            "logs:DeleteLogGroup",
            "logs:DeleteRetentionPolicy",
            "logs:FilterLogEvents",
            "logs:GetLogEvents",
            "logs:ListTagsForResource",
            "logs:ListTagsLogGroup",
            "logs:PutRetentionPolicy",
            "logs:TagLogGroup",
            "logs:TagResource",
            "logs:UntagLogGroup",
            "logs:UntagResource",
          ]
          Resource = flatten([for arn in local.preview_arns.log_groups : [arn, "${arn}:*"]])
        },
        {
          # What API Gateway requires of the caller to set up access logging; no resource-level scoping exists.
          Sid    = "AccessLogDelivery"
          Effect = "Allow"
          Action = [
            "logs:CreateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:DescribeLogGroups",
            "logs:DescribeResourcePolicies",
            "logs:GetLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:UpdateLogDelivery",
          ]
          Resource = "*"
        },
      ]
    }

    roles = {
      description = "Manage the IAM roles of previews, always under the preview permissions boundary"
      statements = [
        {
          Sid    = "ManagePreviewRoles"
          Effect = "Allow"
          Action = [
            "iam:DeleteRole",
            "iam:DeleteRolePolicy",
            "iam:DetachRolePolicy",
            "iam:GetRole",
            "iam:GetRolePolicy",
            "iam:ListAttachedRolePolicies",
            "iam:ListInstanceProfilesForRole",
            "iam:ListRolePolicies",
            "iam:ListRoleTags",
            "iam:PutRolePolicy",
            "iam:RemoveRoleFromInstanceProfile",
            "iam:TagRole",
            "iam:UntagRole",
            "iam:UpdateAssumeRolePolicy",
            "iam:UpdateRole",
            "iam:UpdateRoleDescription",
          ]
          Resource = local.preview_arns.roles
        },
        {
          # A preview role can only come into being under the boundary, and the boundary cannot be
          # removed (no DeleteRolePermissionsBoundary), so inline policies cannot escalate.
          Sid       = "CreatePreviewRolesUnderBoundary"
          Effect    = "Allow"
          Action    = ["iam:CreateRole", "iam:PutRolePermissionsBoundary"]
          Resource  = local.preview_arns.roles
          Condition = { StringEquals = { "iam:PermissionsBoundary" = aws_iam_policy.preview_boundary.arn } }
        },
        {
          # The reaper finds a lost preview's roles by listing; listing has no resource-level scoping.
          Sid      = "ListRolesForTheReaper"
          Effect   = "Allow"
          Action   = "iam:ListRoles"
          Resource = "*"
        },
        {
          Sid       = "PassPreviewRoles"
          Effect    = "Allow"
          Action    = "iam:PassRole"
          Resource  = local.preview_arns.roles
          Condition = { StringEquals = { "iam:PassedToService" = ["lambda.amazonaws.com", "sagemaker.amazonaws.com"] } }
        },
      ]
    }
  }
}

resource "aws_iam_policy" "deploy" {
  for_each = {
    for key, policy in local.deploy_policies : key => {
      description = policy.description
      document    = jsonencode({ Version = "2012-10-17", Statement = policy.statements })
    }
  }

  name        = "${var.deploy_role_name}-${each.key}"
  path        = var.iam_path
  description = each.value.description
  policy      = each.value.document
  tags        = local.tags
}

resource "aws_iam_role_policy_attachment" "deploy" {
  for_each = aws_iam_policy.deploy

  role       = aws_iam_role.deploy.name
  policy_arn = each.value.arn
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
