################################################################################
# Identity of the preview
################################################################################

variable "project" {
  description = "Model project name (kebab-case, at most 40 characters); every resource name starts with \"<project>-pr-<pr_number>\"."
  type        = string

  validation {
    condition     = length(var.project) <= 40 && can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.project))
    error_message = "project must be kebab-case (lowercase letters, digits, single hyphens), start with a letter and have at most 40 characters, so derived names fit SageMaker's 63 and IAM/Lambda's 64-character limits."
  }
}

variable "pr_number" {
  description = "Pull request number the preview belongs to (1-999999), or \"local\" for a preview without a PR."
  type        = string

  validation {
    condition     = can(regex("^([1-9][0-9]{0,5}|local)$", var.pr_number))
    error_message = "pr_number must be a pull request number between 1 and 999999, or \"local\"."
  }
}

variable "git_sha" {
  description = "Git commit the preview was built from (7 to 40 lowercase hex characters); tagged as GitSha on every resource but the SageMaker ones (which change only with the serving) and the API stage."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{7,40}$", var.git_sha))
    error_message = "git_sha must be 7 to 40 lowercase hexadecimal characters (git rev-parse HEAD)."
  }
}

variable "ttl_hours" {
  description = "Hours after creation when the preview expires; ExpiresAt = CreatedAt + ttl_hours, read by the reaper."
  type        = number
  default     = 72

  validation {
    condition     = var.ttl_hours > 0 && var.ttl_hours <= 720
    error_message = "ttl_hours must be greater than 0 and at most 720 (30 days)."
  }

  validation {
    condition     = var.ttl_hours <= var.max_ttl_hours
    error_message = "ttl_hours (ephenv.json preview.ttlHours) is above the preview policy's maxTtlHours (variable max_ttl_hours, from ephenv.policy.json on the base branch); change the policy through a pull request to the base branch."
  }
}

variable "tags" {
  description = "Extra tags for every resource. The ephenv tags (Environment, ManagedBy, Project, PR_Number, GitSha, CreatedAt, ExpiresAt) take precedence."
  type        = map(string)
  default     = {}
}

################################################################################
# Model (SageMaker)
################################################################################

variable "image_uri" {
  description = "ECR image of the model server (SageMaker bring-your-own-container: serve, /ping, /invocations), by tag or digest. The image holds the trained model."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$", var.image_uri))
    error_message = "image_uri must be an ECR image such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:<git-sha> (or @sha256:<digest>)."
  }
}

variable "model_data_url" {
  description = "Optional S3 URI of a model.tar.gz that SageMaker extracts to /opt/ml/model. Null when the image already contains the model (the ephenv default)."
  type        = string
  default     = null

  validation {
    condition     = var.model_data_url == null || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+", var.model_data_url))
    error_message = "model_data_url must be null or an S3 URI such as s3://bucket/path/model.tar.gz."
  }
}

variable "model_environment" {
  description = "Environment variables of the model container (SageMaker sets SAGEMAKER_BIND_TO_PORT itself)."
  type        = map(string)
  default     = {}
}

variable "endpoint_type" {
  description = "SageMaker endpoint type: \"serverless\" (pay per request, cold starts) or \"realtime\" (provisioned instances)."
  type        = string
  default     = "serverless"

  validation {
    condition     = contains(["serverless", "realtime"], var.endpoint_type)
    error_message = "endpoint_type must be \"serverless\" or \"realtime\"."
  }
}

variable "memory_size_mb" {
  description = "Memory of a serverless endpoint in MB (1024 to 6144, a multiple of 1024). Ignored for realtime endpoints."
  type        = number
  default     = 2048

  validation {
    condition     = contains([1024, 2048, 3072, 4096, 5120, 6144], var.memory_size_mb)
    error_message = "memory_size_mb must be one of 1024, 2048, 3072, 4096, 5120, 6144."
  }

  validation {
    condition     = var.endpoint_type != "serverless" || var.memory_size_mb <= var.max_serverless_memory_size_mb
    error_message = "memory_size_mb (ephenv.json endpoint.memorySizeMb) is above the preview policy's maxServerlessMemorySizeMb (variable max_serverless_memory_size_mb, from ephenv.policy.json on the base branch); change the policy through a pull request to the base branch."
  }
}

variable "max_concurrency" {
  description = "Maximum concurrent invocations of a serverless endpoint (1 to 200). Ignored for realtime endpoints."
  type        = number
  default     = 5

  validation {
    condition     = var.max_concurrency >= 1 && var.max_concurrency <= 200 && floor(var.max_concurrency) == var.max_concurrency
    error_message = "max_concurrency must be a whole number between 1 and 200."
  }

  validation {
    condition     = var.endpoint_type != "serverless" || var.max_concurrency <= var.max_serverless_concurrency
    error_message = "max_concurrency (ephenv.json endpoint.maxConcurrency) is above the preview policy's maxServerlessConcurrency (variable max_serverless_concurrency, from ephenv.policy.json on the base branch); change the policy through a pull request to the base branch."
  }
}

variable "instance_type" {
  description = "Instance type of a realtime endpoint, e.g. ml.t2.medium or ml.m5.large. Ignored for serverless endpoints."
  type        = string
  default     = "ml.t2.medium"

  validation {
    condition     = can(regex("^ml\\.[a-z0-9-]+\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must be a SageMaker instance type such as ml.t2.medium."
  }

  validation {
    condition     = var.endpoint_type != "realtime" || contains(var.allowed_instance_types, var.instance_type)
    error_message = "instance_type (ephenv.json endpoint.instanceType) is not among the preview policy's allowedInstanceTypes (variable allowed_instance_types, from ephenv.policy.json on the base branch); change the policy through a pull request to the base branch."
  }
}

variable "instance_count" {
  description = "Initial instance count of a realtime endpoint (1 to 10). Ignored for serverless endpoints."
  type        = number
  default     = 1

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 10 && floor(var.instance_count) == var.instance_count
    error_message = "instance_count must be a whole number between 1 and 10."
  }

  validation {
    condition     = var.endpoint_type != "realtime" || var.instance_count <= var.max_instance_count
    error_message = "instance_count (ephenv.json endpoint.instanceCount) is above the preview policy's maxInstanceCount (variable max_instance_count, from ephenv.policy.json on the base branch); change the policy through a pull request to the base branch."
  }
}

################################################################################
# Preview policy (ephenv.policy.json on the base branch; defaults: its schema's)
################################################################################

variable "allowed_instance_types" {
  description = "Instance types a realtime preview may use (preview policy allowedInstanceTypes)."
  type        = list(string)
  default     = ["ml.t2.medium", "ml.t3.medium", "ml.m5.large", "ml.c5.large"]

  validation {
    condition     = length(var.allowed_instance_types) > 0
    error_message = "allowed_instance_types must name at least one instance type."
  }
}

variable "max_instance_count" {
  description = "Most instances a realtime preview may run (preview policy maxInstanceCount)."
  type        = number
  default     = 2

  validation {
    condition     = var.max_instance_count >= 1 && floor(var.max_instance_count) == var.max_instance_count
    error_message = "max_instance_count must be a whole number of at least 1."
  }
}

variable "max_serverless_memory_size_mb" {
  description = "Most memory a serverless preview may ask for, in MB (preview policy maxServerlessMemorySizeMb)."
  type        = number
  default     = 4096

  validation {
    condition     = contains([1024, 2048, 3072, 4096, 5120, 6144], var.max_serverless_memory_size_mb)
    error_message = "max_serverless_memory_size_mb must be one of 1024, 2048, 3072, 4096, 5120, 6144."
  }
}

variable "max_serverless_concurrency" {
  description = "Most concurrent invocations a serverless preview may ask for (preview policy maxServerlessConcurrency)."
  type        = number
  default     = 10

  validation {
    condition     = var.max_serverless_concurrency >= 1 && var.max_serverless_concurrency <= 200
    error_message = "max_serverless_concurrency must be between 1 and 200."
  }
}

variable "max_ttl_hours" {
  description = "Longest a preview may live, in hours (preview policy maxTtlHours); the reaper removes older previews whatever their ExpiresAt."
  type        = number
  default     = 168

  validation {
    condition     = var.max_ttl_hours > 0
    error_message = "max_ttl_hours must be greater than 0."
  }
}

################################################################################
# Gateway (Lambda + API Gateway)
################################################################################

variable "gateway_zip" {
  description = "Path of the gateway Lambda bundle (a zip whose handler answers /ping, /invocations and /schema)."
  type        = string

  validation {
    condition     = fileexists(var.gateway_zip)
    error_message = "gateway_zip must point to an existing zip file; bundle the gateway first (the deploy-preview executor does this)."
  }
}

variable "gateway_handler" {
  description = "Handler of the gateway Lambda, as <file>.<export>."
  type        = string
  default     = "index.handler"

  validation {
    condition     = can(regex("^[A-Za-z0-9_./-]+\\.[A-Za-z_$][A-Za-z0-9_$]*$", var.gateway_handler))
    error_message = "gateway_handler must look like <file>.<export>, e.g. index.handler."
  }
}

variable "gateway_runtime" {
  description = "Node.js runtime of the gateway Lambda."
  type        = string
  default     = "nodejs20.x"

  validation {
    condition     = contains(["nodejs20.x", "nodejs22.x"], var.gateway_runtime)
    error_message = "gateway_runtime must be nodejs20.x or nodejs22.x."
  }
}

variable "gateway_architecture" {
  description = "CPU architecture of the gateway Lambda; the bundle is plain JavaScript, so arm64 (cheaper) is the default."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.gateway_architecture)
    error_message = "gateway_architecture must be arm64 or x86_64."
  }
}

variable "gateway_memory_mb" {
  description = "Memory of the gateway Lambda in MB (128 to 10240)."
  type        = number
  default     = 256

  validation {
    condition     = var.gateway_memory_mb >= 128 && var.gateway_memory_mb <= 10240 && floor(var.gateway_memory_mb) == var.gateway_memory_mb
    error_message = "gateway_memory_mb must be a whole number between 128 and 10240."
  }
}

variable "gateway_environment" {
  description = "Extra environment variables of the gateway Lambda. ENDPOINT_NAME, TOKEN_PARAMETER, MAX_BODY_BYTES and MODEL_TIMEOUT_MS are set by the module and win."
  type        = map(string)
  default     = {}
}

variable "max_body_bytes" {
  description = "Largest request body the gateway accepts, in bytes (answered 413 above it). Null picks the endpoint's own limit: 6 MB realtime, 4 MB serverless."
  type        = number
  default     = null

  validation {
    condition     = var.max_body_bytes == null || (coalesce(var.max_body_bytes, 1) >= 1 && coalesce(var.max_body_bytes, 1) <= 6291456)
    error_message = "max_body_bytes must be null or between 1 and 6291456 (6 MB, the Lambda payload limit)."
  }
}

variable "model_timeout_ms" {
  description = "How long the gateway waits for the model before answering 504, in milliseconds. Must leave room within API Gateway's 30 s integration limit."
  type        = number
  default     = 25000

  validation {
    condition     = var.model_timeout_ms >= 100 && var.model_timeout_ms <= 27000 && floor(var.model_timeout_ms) == var.model_timeout_ms
    error_message = "model_timeout_ms must be a whole number between 100 and 27000 (API Gateway HTTP APIs cut integrations at 30 s)."
  }
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second the API accepts before answering 429."
  type        = number
  default     = 50

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be greater than 0."
  }
}

variable "throttling_burst_limit" {
  description = "Burst of requests the API accepts above the steady rate before answering 429."
  type        = number
  default     = 100

  validation {
    condition     = var.throttling_burst_limit >= 1 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a whole number of at least 1."
  }
}

variable "token" {
  description = "Bearer token that callers of the preview must present; stored as an SSM SecureString the gateway reads. Ephemeral: never in a plan or state file."
  type        = string
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = length(var.token) >= 16 && can(regex("^[A-Za-z0-9._~+/=-]+$", var.token))
    error_message = "token must be at least 16 characters of a bearer-token alphabet (letters, digits, . _ ~ + / = -)."
  }
}

variable "token_version" {
  description = "Version of the token written to SSM (write-only): increase it to replace the stored token with a new var.token; the same version leaves SSM as it is."
  type        = number
  default     = 1

  validation {
    condition     = var.token_version >= 1 && floor(var.token_version) == var.token_version
    error_message = "token_version must be a whole number of at least 1."
  }
}

variable "gateway_reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) the gateway Lambda, so one preview cannot use the account's whole Lambda concurrency."
  type        = number
  default     = 10

  validation {
    condition     = var.gateway_reserved_concurrency >= 1 && var.gateway_reserved_concurrency <= 100 && floor(var.gateway_reserved_concurrency) == var.gateway_reserved_concurrency
    error_message = "gateway_reserved_concurrency must be a whole number between 1 and 100."
  }
}

################################################################################
# Placement and governance
################################################################################

variable "log_retention_days" {
  description = "Retention of the preview's log groups (gateway Lambda, API access logs, SageMaker endpoint), in days."
  type        = number
  default     = 7

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365."
  }
}

variable "iam_path" {
  description = "IAM path of the preview's roles; the bootstrap deploy role may only manage and pass roles under it."
  type        = string
  default     = "/ephenv/"

  validation {
    condition     = can(regex("^/([A-Za-z0-9+=,.@_-]+/)*$", var.iam_path))
    error_message = "iam_path must start and end with a slash, e.g. /ephenv/."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary attached to the preview's roles (output preview_permissions_boundary_arn of the bootstrap module). Null for none."
  type        = string
  default     = null
}

variable "parameter_prefix" {
  description = "SSM path under which the token parameter is created: <parameter_prefix>/<project>-pr-<pr_number>/token."
  type        = string
  default     = "/ephenv"

  validation {
    condition     = can(regex("^(/[A-Za-z0-9_.-]+)+$", var.parameter_prefix))
    error_message = "parameter_prefix must be an SSM path such as /ephenv (leading slash, no trailing slash)."
  }
}
