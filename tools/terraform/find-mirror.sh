#!/usr/bin/env bash
# Prints the root of the Terraform filesystem mirror holding hashicorp/aws (the directory that
# contains registry.terraform.io), for shell scripts such as .ci/run. Same order as
# libs/preview/src/terraform/cli-config.ts: EPHENV_TF_PROVIDER_MIRROR, Terraform's standard plugin
# directories, the cached result of an earlier search, a bounded filesystem search.
# Exits 1 with a message on stderr when there is none (Terraform then needs registry access).
set -euo pipefail

provider_path="registry.terraform.io/hashicorp/aws"
workspace_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache_file="${workspace_root}/.ephenv/terraform/provider-mirror.txt"

is_mirror() { [[ -n "$1" && -d "$1/${provider_path}" ]]; }

if [[ -n "${EPHENV_TF_PROVIDER_MIRROR:-}" ]]; then
  if is_mirror "${EPHENV_TF_PROVIDER_MIRROR}"; then
    echo "${EPHENV_TF_PROVIDER_MIRROR}"
    exit 0
  fi
  echo "EPHENV_TF_PROVIDER_MIRROR=${EPHENV_TF_PROVIDER_MIRROR} has no ${provider_path} directory: point it at the mirror's root, or unset it." >&2
  exit 1
fi

home="${HOME:-$(cd ~ && pwd)}"
for dir in "${home}/.terraform.d/plugins" "${XDG_DATA_HOME:-${home}/.local/share}/terraform/plugins" \
  /usr/local/share/terraform/plugins /usr/share/terraform/plugins; do
  if is_mirror "${dir}"; then
    echo "${dir}"
    exit 0
  fi
done

if [[ -f "${cache_file}" ]]; then
  cached="$(head -n 1 "${cache_file}")"
  if [[ "${cached}" == "none" ]]; then
    echo "no Terraform provider mirror on this machine (cached in ${cache_file}; delete it to search again)" >&2
    exit 1
  fi
  if is_mirror "${cached}"; then
    echo "${cached}"
    exit 0
  fi
fi

hit="$(find / -maxdepth 5 \( -path /proc -o -path /sys -o -path /dev -o -name node_modules -o -name .git \) -prune \
  -o -type d -path "*/${provider_path}" -print -quit 2>/dev/null || true)"
mkdir -p "$(dirname "${cache_file}")"
if [[ -z "${hit}" ]]; then
  echo "none" >"${cache_file}"
  echo "no Terraform provider mirror found (searched Terraform's plugin directories and / to depth 5); set EPHENV_TF_PROVIDER_MIRROR" >&2
  exit 1
fi
mirror="$(cd "${hit}/../../.." && pwd)"
echo "${mirror}" >"${cache_file}"
echo "${mirror}"
