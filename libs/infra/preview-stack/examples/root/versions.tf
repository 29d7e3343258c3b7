terraform {
  required_version = ">= 1.9" # variable validations that refer to other variables (the preview policy)

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60, < 7"
    }
  }
}
