variable "aws_region" {
  description = "AWS region of the preview."
  type        = string
  default     = "us-east-1"
}

variable "project" {
  description = "Model project name (the Nx project, kebab-case)."
  type        = string
}

variable "pr" {
  description = "Pull request number of the preview, or \"local\"."
  type        = string
}

variable "git_sha" {
  description = "Git commit the preview was built from."
  type        = string
}

variable "image_uri" {
  description = "ECR image of the model server, tagged with a hash of its content (and the git SHA it was first built or deployed at)."
  type        = string
}

variable "gateway_zip" {
  description = "Path of the bundled gateway Lambda zip."
  type        = string
}

variable "token" {
  description = "Bearer token of the preview (stored in SSM as a SecureString; never in plan or state)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "ttl_hours" {
  description = "Hours until the preview expires and the reaper may destroy it."
  type        = number
  default     = 72
}

variable "endpoint_type" {
  description = "SageMaker endpoint type: serverless or realtime (from ephenv.json endpoint.type)."
  type        = string
  default     = "serverless"
}

variable "instance_type" {
  description = "Instance type of a realtime endpoint."
  type        = string
  default     = "ml.t2.medium"
}

variable "instance_count" {
  description = "Instance count of a realtime endpoint."
  type        = number
  default     = 1
}

variable "memory_size_mb" {
  description = "Memory of a serverless endpoint in MB (1024 to 6144, step 1024)."
  type        = number
  default     = 2048
}

variable "max_concurrency" {
  description = "Maximum concurrent invocations of a serverless endpoint."
  type        = number
  default     = 5
}

variable "max_body_bytes" {
  description = "Largest request body the gateway accepts; null for the endpoint type's limit."
  type        = number
  default     = null
}

variable "model_timeout_ms" {
  description = "How long the gateway waits for the model before answering 504, in milliseconds."
  type        = number
  default     = 25000
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary for the preview's IAM roles (bootstrap output preview_permissions_boundary_arn); null for none."
  type        = string
  default     = null
}

variable "gateway_reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) the gateway Lambda."
  type        = number
  default     = 10
}

variable "allowed_instance_types" {
  description = "Instance types a realtime preview may use (ephenv.policy.json allowedInstanceTypes on the base branch)."
  type        = list(string)
  default     = ["ml.t2.medium", "ml.t3.medium", "ml.m5.large", "ml.c5.large"]
}

variable "max_instance_count" {
  description = "Most instances a realtime preview may run (ephenv.policy.json maxInstanceCount on the base branch)."
  type        = number
  default     = 2
}

variable "max_serverless_memory_size_mb" {
  description = "Most memory a serverless preview may ask for, in MB (ephenv.policy.json maxServerlessMemorySizeMb on the base branch)."
  type        = number
  default     = 4096
}

variable "max_serverless_concurrency" {
  description = "Most concurrent invocations a serverless preview may ask for (ephenv.policy.json maxServerlessConcurrency on the base branch)."
  type        = number
  default     = 10
}

variable "max_ttl_hours" {
  description = "Longest a preview may live, in hours (ephenv.policy.json maxTtlHours on the base branch)."
  type        = number
  default     = 168
}
