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
  description = "MUTABLE lets CI re-push an image for the same git SHA (a re-run); IMMUTABLE forbids overwriting a tag."
  type        = string
  default     = "MUTABLE"

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

variable "deploy_role_name" {
  description = "Name of the role GitHub Actions assumes to deploy, destroy and reap previews."
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

variable "tags" {
  description = "Extra tags for every resource (ManagedBy=ephenv and Component=bootstrap are always set)."
  type        = map(string)
  default     = {}
}
