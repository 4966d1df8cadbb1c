#!/usr/bin/env bash
# `npm run bench [provisioning|startup|job]`: prints measurements; see bench/run.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
# The contract section (also run when no section is named) needs the test prerequisites: schemathesis.
if [ $# -eq 0 ] || [[ " $* " == *" contract "* ]]; then bash scripts/prerequisites.sh --test; else bash scripts/prerequisites.sh; fi
exec node --import tsx bench/run.ts "$@"
