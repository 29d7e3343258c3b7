################################################################################
# What all previews together may cost per month: an AWS Budgets budget on the
# ephemeral tag, alerting before the limit is reached
################################################################################

resource "aws_budgets_budget" "previews" {
  count = length(var.budget_alert_emails) > 0 ? 1 : 0

  name         = var.budget_name
  budget_type  = "COST"
  limit_amount = format("%.2f", var.budget_limit_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  # Cost-allocation tags appear in Budgets only once activated in the Billing console
  # (Cost allocation tags > Environment); until then the budget counts nothing.
  cost_filter {
    name   = "TagKeyValue"
    values = ["user:Environment$Ephemeral"]
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = var.budget_alert_threshold_percent
    threshold_type             = "PERCENTAGE"
    notification_type          = "ACTUAL"
    subscriber_email_addresses = var.budget_alert_emails
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 100
    threshold_type             = "PERCENTAGE"
    notification_type          = "FORECASTED"
    subscriber_email_addresses = var.budget_alert_emails
  }

  tags = local.tags
}
