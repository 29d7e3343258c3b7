data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  # Not ephemeral: the reaper acts only on resources that also carry Environment=Ephemeral.
  tags = merge(var.tags, {
    ManagedBy = "ephenv"
    Component = "bootstrap"
  })

  # Every preview resource is named "<model>-pr-<number>..." (see libs/infra/preview-stack).
  preview_names = [for model in var.model_names : "${model}-pr-*"]
}
