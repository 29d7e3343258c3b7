################################################################################
# Token
################################################################################

# Write-only (Terraform 1.11): the token goes to SSM and nowhere else, neither the plan nor the
# state, so whoever can read the state bucket cannot call the preview. SSM gets it again only when
# token_version changes.
resource "aws_ssm_parameter" "token" {
  name             = "${var.parameter_prefix}/${local.name}/token"
  description      = "Bearer token of the ephenv preview ${local.name}"
  type             = "SecureString"
  value_wo         = var.token
  value_wo_version = var.token_version
  tags             = local.tags
}

################################################################################
# Gateway Lambda
################################################################################

resource "aws_cloudwatch_log_group" "gateway" {
  name              = local.log_group_names.gateway
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_lambda_function" "gateway" {
  function_name    = "${local.name}-gateway"
  description      = "ephenv gateway of ${local.name}: auth, validation, SageMaker invocation"
  role             = aws_iam_role.gateway.arn
  runtime          = var.gateway_runtime
  handler          = var.gateway_handler
  architectures    = [var.gateway_architecture]
  filename         = var.gateway_zip
  source_code_hash = filebase64sha256(var.gateway_zip)
  memory_size      = var.gateway_memory_mb
  # A ceiling of its own, so one preview's traffic cannot take the account's Lambda concurrency.
  reserved_concurrent_executions = var.gateway_reserved_concurrency
  # Room for the model call plus the gateway's own work, still inside API Gateway's 30 s.
  timeout = ceil(var.model_timeout_ms / 1000) + 2

  environment {
    variables = merge(var.gateway_environment, {
      ENDPOINT_NAME    = local.name
      TOKEN_PARAMETER  = aws_ssm_parameter.token.name
      MAX_BODY_BYTES   = tostring(local.max_body_bytes)
      MODEL_TIMEOUT_MS = tostring(var.model_timeout_ms)
    })
  }

  tags = local.tags

  # Logs go to the group this stack owns (and deletes), never to one Lambda would create itself.
  depends_on = [aws_cloudwatch_log_group.gateway]
}

################################################################################
# HTTP API
################################################################################

resource "aws_cloudwatch_log_group" "access" {
  name              = local.log_group_names.access
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_apigatewayv2_api" "this" {
  name          = local.name
  description   = "ephenv preview ${local.name}"
  protocol_type = "HTTP"
  tags          = local.tags
}

resource "aws_apigatewayv2_integration" "gateway" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = aws_lambda_function.gateway.invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 30000
}

# The gateway answers every path itself (404/405 as JSON); the named routes give per-route metrics.
resource "aws_apigatewayv2_route" "this" {
  for_each = toset(["GET /ping", "POST /invocations", "GET /schema", "$default"])

  api_id    = aws_apigatewayv2_api.this.id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.gateway.id}"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
  }

  # No headers in the access log: the Authorization header must never reach a log line.
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTime"
      sourceIp           = "$context.identity.sourceIp"
      httpMethod         = "$context.httpMethod"
      routeKey           = "$context.routeKey"
      path               = "$context.path"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
    })
  }

  # Every tag but GitSha, which changes on each deploy: moto, the emulator the tests run against,
  # cannot retag a stage, and the API above already carries the full set.
  tags = { for key, value in local.tags : key => value if key != "GitSha" }
}

resource "aws_lambda_permission" "api" {
  statement_id  = "AllowInvokeFromApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.gateway.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*"
}
