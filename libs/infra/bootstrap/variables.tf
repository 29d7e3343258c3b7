################################################################################
# Terraform state
################################################################################

variable "state_bucket_name" {
  description = "Name of the S3 bucket holding every preview's Terraform state (globally unique)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name)) && !can(regex("\\.\\.|^\\d+\\.\\d+\\.\\d+\\.\\d+$", var.state_bucket_name))
    error_message = "state_bucket_name must be a valid S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit."
  }
}

variable "lock_table_name" {
  description = "Name of the DynamoDB table (hash key LockID) that locks Terraform state."
  type        = string
  default     = "ephenv-terraform-locks"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.lock_table_name))
    error_message = "lock_table_name must be 3 to 255 letters, digits, underscores, dots or hyphens."
  }
}

variable "state_noncurrent_version_days" {
  description = "Days an overwritten state version is kept before S3 deletes it."
  type        = number
  default     = 90

  validation {
    condition     = var.state_noncurrent_version_days >= 1 && floor(var.state_noncurrent_version_days) == var.state_noncurrent_version_days
    error_message = "state_noncurrent_version_days must be a whole number of at least 1."
  }
}

variable "force_destroy" {
  description = "Let destroy delete a state bucket that still holds state and ECR repositories that still hold images. Keep false outside tests."
  type        = bool
  default     = false
}

################################################################################
# Images
################################################################################

variable "model_names" {
  description = "Model projects of the workspace (kebab-case): each gets an ECR repository of that name, and the deploy role may manage previews named \"<model>-pr-*\"."
  type        = list(string)

  validation {
    condition     = length(var.model_names) > 0 && alltrue([for name in var.model_names : length(name) <= 40 && can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", name))])
    error_message = "model_names must list at least one model, each kebab-case with at most 40 characters."
  }
}

variable "ecr_untagged_expiry_days" {
  description = "Days after which untagged images (left behind by re-pushed tags) are deleted."
  type        = number
  default     = 7

  validation {
    condition     = var.ecr_untagged_expiry_days >= 1 && floor(var.ecr_untagged_expiry_days) == var.ecr_untagged_expiry_days
    error_message = "ecr_untagged_expiry_days must be a whole number of at least 1."
  }
}

variable "ecr_keep_images" {
  description = "How many of the most recent images each repository keeps; older ones are deleted."
  type        = number
  default     = 30

  validation {
    condition     = var.ecr_keep_images >= 1 && floor(var.ecr_keep_images) == var.ecr_keep_images
    error_message = "ecr_keep_images must be a whole number of at least 1."
  }
}

variable "ecr_image_tag_mutability" {
  description = "IMMUTABLE (the default) forbids overwriting a tag, so the image a preview ran (tagged with its git SHA) cannot be swapped under it; MUTABLE lets CI re-push the same tag."
  type        = string
  default     = "IMMUTABLE"

  validation {
    condition     = contains(["MUTABLE", "IMMUTABLE"], var.ecr_image_tag_mutability)
    error_message = "ecr_image_tag_mutability must be MUTABLE or IMMUTABLE."
  }
}

################################################################################
# GitHub Actions access
################################################################################

variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows may assume the deploy role."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be owner/name, e.g. my-org/ml-models."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub Actions OIDC provider. Set false when the account already has one and pass its ARN in github_oidc_provider_arn."
  type        = bool
  default     = true
}

variable "github_oidc_provider_arn" {
  description = "ARN of an existing token.actions.githubusercontent.com OIDC provider; used only when create_github_oidc_provider is false."
  type        = string
  default     = null
}

variable "github_oidc_thumbprints" {
  description = "Thumbprints of GitHub's OIDC certificate chain. AWS no longer checks them for GitHub, but the API still requires one."
  type        = list(string)
  default     = ["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"]

  validation {
    condition     = length(var.github_oidc_thumbprints) >= 1 && alltrue([for t in var.github_oidc_thumbprints : can(regex("^[0-9a-fA-F]{40}$", t))])
    error_message = "github_oidc_thumbprints must hold at least one 40-character hex SHA-1 thumbprint."
  }
}

variable "github_default_branch" {
  description = "Default branch of github_repository: only workflows running on it (the scheduled reaper) may assume the reaper role."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,200}$", var.github_default_branch))
    error_message = "github_default_branch must be a branch name such as main (no wildcards)."
  }
}

variable "reaper_workflow" {
  description = "Path of the reaper workflow in github_repository; the reaper role trusts only this workflow on the default branch (the token's job_workflow_ref)."
  type        = string
  default     = ".github/workflows/reaper.yml"

  validation {
    condition     = can(regex("^\\.github/workflows/[A-Za-z0-9._-]+\\.ya?ml$", var.reaper_workflow))
    error_message = "reaper_workflow must be a workflow file such as .github/workflows/reaper.yml."
  }
}

variable "reaper_role_name" {
  description = "Name of the role the reaper workflow assumes: it may read, destroy and list previews, never create one."
  type        = string
  default     = "ephenv-reaper"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,44}$", var.reaper_role_name))
    error_message = "reaper_role_name must be 1 to 44 characters of letters, digits and +=,.@_- (the policy names derived from it must fit 64)."
  }
}

variable "deploy_role_name" {
  description = "Name of the role pull-request workflows assume to deploy and destroy their previews."
  type        = string
  default     = "ephenv-deploy"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,44}$", var.deploy_role_name))
    error_message = "deploy_role_name must be 1 to 44 characters of letters, digits and +=,.@_- (the policy names derived from it must fit 64)."
  }
}

variable "model_data_bucket_arns" {
  description = "S3 buckets previews may read model archives from (model_data_url). Empty when images contain their models (the ephenv default)."
  type        = list(string)
  default     = []
}

################################################################################
# Conventions shared with the preview-stack module
################################################################################

variable "iam_path" {
  description = "IAM path of preview roles (preview-stack's iam_path); the deploy role may only manage and pass roles under it."
  type        = string
  default     = "/ephenv/"

  validation {
    condition     = can(regex("^/([A-Za-z0-9+=,.@_-]+/)*$", var.iam_path))
    error_message = "iam_path must start and end with a slash, e.g. /ephenv/."
  }
}

variable "parameter_prefix" {
  description = "SSM path of preview tokens (preview-stack's parameter_prefix)."
  type        = string
  default     = "/ephenv"

  validation {
    condition     = can(regex("^(/[A-Za-z0-9_.-]+)+$", var.parameter_prefix))
    error_message = "parameter_prefix must be an SSM path such as /ephenv (leading slash, no trailing slash)."
  }
}

################################################################################
# Cost limits
################################################################################

variable "preview_policy_file" {
  description = "The workspace preview policy (ephenv.policy.json, schema libs/core/ephenv.policy.schema.json) whose limits become IAM conditions of the deploy role. Null reads the workspace root's ephenv.policy.json (three folders above this module). Apply from the default branch's checkout."
  type        = string
  default     = null
}

variable "budget_name" {
  description = "Name of the AWS Budgets budget that watches what previews cost."
  type        = string
  default     = "ephenv-previews"
}

variable "budget_limit_usd" {
  description = "Monthly cost (USD) of every resource tagged Environment=Ephemeral, across all previews, that the budget alerts on."
  type        = number
  default     = 200

  validation {
    condition     = var.budget_limit_usd > 0
    error_message = "budget_limit_usd must be greater than 0."
  }
}

variable "budget_alert_threshold_percent" {
  description = "Percentage of budget_limit_usd actually spent at which the alert addresses get an e-mail (a second alert fires when the month's forecast exceeds the limit)."
  type        = number
  default     = 80

  validation {
    condition     = var.budget_alert_threshold_percent > 0 && var.budget_alert_threshold_percent <= 1000
    error_message = "budget_alert_threshold_percent must be greater than 0 and at most 1000."
  }
}

variable "budget_alert_emails" {
  description = "E-mail addresses that receive the budget's alerts (up to 10). The budget is created when at least one is given; leave empty only where another budget already watches the account."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.budget_alert_emails) <= 10 && alltrue([for address in var.budget_alert_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", address))])
    error_message = "budget_alert_emails must list at most 10 e-mail addresses, e.g. [\"ml-platform@example.com\"]."
  }
}

variable "tags" {
  description = "Extra tags for every resource (ManagedBy=ephenv and Component=bootstrap are always set)."
  type        = map(string)
  default     = {}
}
