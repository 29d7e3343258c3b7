################################################################################
# The workspace preview policy (ephenv.policy.json, schema libs/core/ephenv.policy.schema.json):
# what any preview may cost. Read here so the deploy role's IAM conditions enforce it where a
# pull request's code cannot reach: a PR can edit its own copy of the file, not this role.
################################################################################

locals {
  # The schema's defaults; a field the file leaves out keeps its default.
  preview_policy_defaults = {
    allowedInstanceTypes      = ["ml.t2.medium", "ml.t3.medium", "ml.m5.large", "ml.c5.large"]
    maxInstanceCount          = 2
    maxServerlessMemorySizeMb = 4096
    maxServerlessConcurrency  = 10
    maxTtlHours               = 168
  }

  preview_policy_path = coalesce(var.preview_policy_file, "${path.module}/../../../ephenv.policy.json")
  preview_policy_file = jsondecode(file(local.preview_policy_path))

  preview_policy = {
    for key, default in local.preview_policy_defaults : key => lookup(local.preview_policy_file, key, default)
  }

  preview_policy_problems = compact([
    length(local.preview_policy.allowedInstanceTypes) > 0 && alltrue([for t in local.preview_policy.allowedInstanceTypes : can(regex("^ml\\.[a-z0-9]+\\.[a-z0-9]+$", t))]) ? "" : "allowedInstanceTypes must list at least one SageMaker instance type such as ml.t2.medium",
    can(tonumber(local.preview_policy.maxInstanceCount)) && try(local.preview_policy.maxInstanceCount >= 1, false) ? "" : "maxInstanceCount must be a whole number of at least 1",
    contains([1024, 2048, 3072, 4096, 5120, 6144], local.preview_policy.maxServerlessMemorySizeMb) ? "" : "maxServerlessMemorySizeMb must be one of 1024, 2048, 3072, 4096, 5120, 6144",
    try(local.preview_policy.maxServerlessConcurrency >= 1 && local.preview_policy.maxServerlessConcurrency <= 200, false) ? "" : "maxServerlessConcurrency must be a whole number between 1 and 200",
    try(local.preview_policy.maxTtlHours > 0, false) ? "" : "maxTtlHours must be greater than 0",
  ])
}

# Fails the plan with every problem of the policy file, before any role is written from it.
resource "terraform_data" "preview_policy" {
  input = local.preview_policy

  lifecycle {
    precondition {
      condition     = length(local.preview_policy_problems) == 0
      error_message = "The preview policy ${local.preview_policy_path} is invalid (schema libs/core/ephenv.policy.schema.json): ${join("; ", local.preview_policy_problems)}."
    }
  }
}
