################################################################################
# What the two GitHub roles may do: one managed policy per concern, each well under
# IAM's 6,144-character limit however many models the workspace has. The reaper role
# gets every statement but those that create or push (create_only_statements).
################################################################################

locals {
  state_bucket_arn = aws_s3_bucket.state.arn

  # Tags that make a resource visible to the reaper: nobody may remove them or give them another value.
  reaper_tags = ["Environment", "ManagedBy"]

  # ephenv's own tag values, required on every create that carries tags.
  request_tags = {
    "aws:RequestTag/Environment" = "Ephemeral"
    "aws:RequestTag/ManagedBy"   = "ephenv"
  }

  apis_arn = "arn:${local.partition}:apigateway:${local.region}::/apis"

  role_policies = {
    state = {
      description = "Read and write preview state (previews/ in the state bucket), with DynamoDB locking"
      statements = [
        {
          # The S3 backend lists workspaces under env:/ at init; objects can only be written under previews/.
          Sid       = "ListPreviewState"
          Effect    = "Allow"
          Action    = "s3:ListBucket"
          Resource  = local.state_bucket_arn
          Condition = { StringLike = { "s3:prefix" = ["previews/*", "env:/*"] } }
        },
        {
          Sid      = "ReadWritePreviewState"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
          Resource = "${local.state_bucket_arn}/previews/*"
        },
        {
          # Lock IDs are "<bucket>/<key>" (and "<bucket>/<key>-md5"): only locks of preview state.
          Sid       = "LockPreviewState"
          Effect    = "Allow"
          Action    = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
          Resource  = aws_dynamodb_table.locks.arn
          Condition = { "ForAllValues:StringLike" = { "dynamodb:LeadingKeys" = ["${aws_s3_bucket.state.id}/previews/*"] } }
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
      description = "Manage the SageMaker models, endpoint configs and endpoints of previews, within the preview policy"
      statements = [
        {
          Sid    = "ManagePreviewSageMaker"
          Effect = "Allow"
          Action = [
            "sagemaker:AddTags",
            "sagemaker:CreateEndpoint",
            "sagemaker:CreateModel",
            "sagemaker:DeleteEndpoint",
            "sagemaker:DeleteEndpointConfig",
            "sagemaker:DeleteModel",
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
          # The preview policy (ephenv.policy.json), where the PR's code cannot change it. A realtime
          # config carries no serverless keys and a serverless one no instance types, hence
          # ForAllValues (true when absent) and ...IfExists. IAM has no condition key for the
          # instance count: maxInstanceCount is enforced before creation (the deploy's policy
          # check) and by preview-stack's instance_count validation, not here.
          Sid      = "CreateEndpointConfigsWithinPolicy"
          Effect   = "Allow"
          Action   = "sagemaker:CreateEndpointConfig"
          Resource = local.preview_arns.endpoint_configs
          Condition = {
            "ForAllValues:StringEquals" = { "sagemaker:InstanceTypes" = local.preview_policy.allowedInstanceTypes }
            NumericLessThanEqualsIfExists = {
              "sagemaker:ServerlessMemorySize"     = tostring(local.preview_policy.maxServerlessMemorySizeMb)
              "sagemaker:ServerlessMaxConcurrency" = tostring(local.preview_policy.maxServerlessConcurrency)
            }
          }
        },
        {
          # Removing other tags (a re-tag) is fine; removing the ones the reaper looks for is not.
          Sid       = "UntagPreviewSageMakerKeepingReaperTags"
          Effect    = "Allow"
          Action    = "sagemaker:DeleteTags"
          Resource  = local.preview_arns.sagemaker
          Condition = { "ForAllValues:StringNotEquals" = { "aws:TagKeys" = local.reaper_tags } }
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
      description = "Manage the gateway Lambdas, HTTP APIs (tagged ManagedBy=ephenv) and token parameters of previews"
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
            "lambda:GetFunctionConcurrency",
            "lambda:GetFunctionConfiguration",
            "lambda:GetPolicy",
            "lambda:ListTags",
            "lambda:ListVersionsByFunction",
            "lambda:PutFunctionConcurrency",
            "lambda:RemovePermission",
            "lambda:TagResource",
            "lambda:UpdateFunctionCode",
            "lambda:UpdateFunctionConfiguration",
          ]
          Resource = local.preview_arns.lambda
        },
        {
          Sid       = "UntagPreviewLambdasKeepingReaperTags"
          Effect    = "Allow"
          Action    = "lambda:UntagResource"
          Resource  = local.preview_arns.lambda
          Condition = { "ForAllValues:StringNotEquals" = { "aws:TagKeys" = local.reaper_tags } }
        },
        {
          # API Gateway authorizes by path (IDs, not names), so ownership is the tag: an API is
          # created only with ephenv's tags, and everything under /apis/<id> (routes, integrations,
          # stages inherit the API's tags) is reachable only while the API carries ManagedBy=ephenv.
          Sid       = "CreateTaggedApis"
          Effect    = "Allow"
          Action    = "apigateway:POST"
          Resource  = local.apis_arn
          Condition = { StringEquals = local.request_tags }
        },
        {
          Sid       = "ManageTaggedApis"
          Effect    = "Allow"
          Action    = ["apigateway:DELETE", "apigateway:GET", "apigateway:PATCH", "apigateway:POST", "apigateway:PUT"]
          Resource  = ["${local.apis_arn}/*"]
          Condition = { StringEquals = { "aws:ResourceTag/ManagedBy" = "ephenv" } }
        },
        {
          # Tag changes after creation (GitSha on a new commit) go through /tags/<api arn>, which has no
          # resource tag to check: they may neither add nor remove the tags that mark an API as ephenv's,
          # so no API can be made ephenv's (and then deleted), nor hidden from the reaper.
          Sid       = "RetagApisKeepingReaperTags"
          Effect    = "Allow"
          Action    = ["apigateway:DELETE", "apigateway:GET", "apigateway:POST", "apigateway:PUT"]
          Resource  = "arn:${local.partition}:apigateway:${local.region}::/tags/*"
          Condition = { "ForAllValues:StringNotEquals" = { "aws:TagKeys" = local.reaper_tags } }
        },
        {
          # The reaper lists the region's APIs to find orphans by tag.
          Sid      = "ListApis"
          Effect   = "Allow"
          Action   = "apigateway:GET"
          Resource = local.apis_arn
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
          ]
          Resource = local.preview_arns.parameters
        },
        {
          Sid       = "UntagPreviewTokensKeepingReaperTags"
          Effect    = "Allow"
          Action    = "ssm:RemoveTagsFromResource"
          Resource  = local.preview_arns.parameters
          Condition = { "ForAllValues:StringNotEquals" = { "aws:TagKeys" = local.reaper_tags } }
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
      description = "Manage the log groups of previews and their API Gateway access-log delivery"
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
          ]
          Resource = flatten([for arn in local.preview_arns.log_groups : [arn, "${arn}:*"]])
        },
        {
          Sid       = "UntagPreviewLogGroupsKeepingReaperTags"
          Effect    = "Allow"
          Action    = ["logs:UntagLogGroup", "logs:UntagResource"]
          Resource  = flatten([for arn in local.preview_arns.log_groups : [arn, "${arn}:*"]])
          Condition = { "ForAllValues:StringNotEquals" = { "aws:TagKeys" = local.reaper_tags } }
        },
        {
          # Turning a stage's access logs off (stage deletion) and finding log groups; these actions
          # have no resource-level permissions.
          Sid      = "ReadAndRemoveAccessLogDelivery"
          Effect   = "Allow"
          Action   = ["logs:DeleteLogDelivery", "logs:DescribeLogGroups", "logs:GetLogDelivery", "logs:ListLogDeliveries"]
          Resource = "*"
        },
        {
          # Turning a stage's access logs on: API Gateway requires these of the caller (HTTP API
          # logging guide, "Permissions to activate logging"). None of them supports a resource or a
          # condition key, so they cannot be scoped further; they only let API Gateway deliver logs
          # (a logs resource policy grants log writing, never reading). No DeleteResourcePolicy:
          # a PR cannot remove another service's log delivery policy. Not granted to the reaper.
          Sid      = "AccessLogDeliveryForStages"
          Effect   = "Allow"
          Action   = ["logs:CreateLogDelivery", "logs:DescribeResourcePolicies", "logs:PutResourcePolicy", "logs:UpdateLogDelivery"]
          Resource = "*"
        },
      ]
    }

    roles = {
      description = "Manage the IAM roles of previews, always under the preview permissions boundary and with ephenv's tags"
      statements = [
        {
          # No UpdateAssumeRolePolicy (a preview role stays assumable by its service only) and no
          # UntagRole (a preview role cannot be hidden from the reaper).
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
            "iam:UpdateRole",
            "iam:UpdateRoleDescription",
          ]
          Resource = local.preview_arns.roles
        },
        {
          # A preview role can only come into being under the boundary, and the boundary cannot be
          # removed (no DeleteRolePermissionsBoundary), so inline policies cannot escalate. It must
          # carry ephenv's tags from the start, so the reaper always sees it.
          Sid      = "CreatePreviewRolesUnderBoundary"
          Effect   = "Allow"
          Action   = ["iam:CreateRole", "iam:PutRolePermissionsBoundary"]
          Resource = local.preview_arns.roles
          Condition = {
            StringEquals = merge({ "iam:PermissionsBoundary" = aws_iam_policy.preview_boundary.arn }, local.request_tags)
          }
        },
        {
          # Tagging (also part of CreateRole) may set the reaper's tags only to ephenv's values.
          Sid       = "TagPreviewRoles"
          Effect    = "Allow"
          Action    = "iam:TagRole"
          Resource  = local.preview_arns.roles
          Condition = { StringEqualsIfExists = local.request_tags }
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

  # What only deploying needs; the reaper reads, destroys and lists.
  create_only_statements = [
    "PushModelImages", "EcrLogin", "CreateEndpointConfigsWithinPolicy", "CreateTaggedApis",
    "AccessLogDeliveryForStages", "CreatePreviewRolesUnderBoundary", "PassPreviewRoles",
  ]

  role_policy_documents = merge([
    for role in keys(local.role_names) : {
      for key, policy in local.role_policies : "${role}-${key}" => {
        role        = role
        name        = "${local.role_names[role]}-${key}"
        description = policy.description
        statements  = [for s in policy.statements : s if role == "deploy" || !contains(local.create_only_statements, s.Sid)]
      }
    }
  ]...)
}

resource "aws_iam_policy" "role" {
  for_each = { for key, policy in local.role_policy_documents : key => policy if length(policy.statements) > 0 }

  name        = each.value.name
  path        = var.iam_path
  description = each.value.description
  policy      = jsonencode({ Version = "2012-10-17", Statement = each.value.statements })
  tags        = local.tags
}

resource "aws_iam_role_policy_attachment" "role" {
  for_each = aws_iam_policy.role

  role       = aws_iam_role.github[local.role_policy_documents[each.key].role].name
  policy_arn = each.value.arn
}

# Addresses of the single deploy role this module used to create: an apply upgrades in place.
moved {
  from = aws_iam_role.deploy
  to   = aws_iam_role.github["deploy"]
}

moved {
  from = aws_iam_policy.deploy["state"]
  to   = aws_iam_policy.role["deploy-state"]
}

moved {
  from = aws_iam_policy.deploy["images"]
  to   = aws_iam_policy.role["deploy-images"]
}

moved {
  from = aws_iam_policy.deploy["models"]
  to   = aws_iam_policy.role["deploy-models"]
}

moved {
  from = aws_iam_policy.deploy["gateways"]
  to   = aws_iam_policy.role["deploy-gateways"]
}

moved {
  from = aws_iam_policy.deploy["logs"]
  to   = aws_iam_policy.role["deploy-logs"]
}

moved {
  from = aws_iam_policy.deploy["roles"]
  to   = aws_iam_policy.role["deploy-roles"]
}
