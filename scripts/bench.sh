#!/usr/bin/env bash
# `npm run bench [provisioning|startup|job]`: prints measurements; see bench/run.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh
exec node --import tsx bench/run.ts "$@"
