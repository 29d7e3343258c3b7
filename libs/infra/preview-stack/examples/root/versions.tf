terraform {
  # 1.11: write-only arguments (the token's value_wo) and ephemeral variables; 1.9 already: variable
  # validations that refer to other variables (the preview policy).
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60, < 7"
    }
  }
}
