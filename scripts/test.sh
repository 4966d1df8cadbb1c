#!/usr/bin/env bash
# `npm test`: every test, against real PostgreSQL and a real local Flink. Installs what it needs,
# type-checks and lints, runs vitest, and prints one closing line "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh --test || exit 1

# Safety net: a test run killed half-way must not leave Flink JVMs or PostgreSQL behind...
cleanup() {
  pkill -KILL -f -- '-Dsluice.cluster.dir=/tmp/sluice-' 2>/dev/null || true
  # ...nor the local Kubernetes of test/e2e/kubernetes-harness.test.ts (its own down already ran if it finished).
  if [ -f "${SLUICE_K8S_STATE:-/tmp/sluice-kubernetes}/cluster.json" ]; then
    npx tsx test/support/kubernetes/cli.ts down >/dev/null 2>&1
  fi
  for d in /tmp/sluice-pg-*/data; do
    [ -d "$d" ] && runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | tail -1)/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1
  done
  return 0
}
trap cleanup EXIT

# The checks keep what they learnt between runs in ~/.cache/sluice (by content, not by file time: a
# fresh checkout on CI has new times but mostly the same files); an empty cache only makes them slower.
cache="${XDG_CACHE_HOME:-$HOME/.cache}/sluice/checks"
mkdir -p "$cache"
npx tsc --noEmit --incremental --tsBuildInfoFile "$cache/tsc-root.tsbuildinfo" || exit 1
npx tsc --noEmit -p src/web --incremental --tsBuildInfoFile "$cache/tsc-web.tsbuildinfo" || exit 1
npx eslint --cache --cache-strategy content --cache-location "$cache/eslint" . || exit 1
npx prettier --check --cache --cache-strategy content --cache-location "$cache/prettier" . >/dev/null ||
  { echo "formatting differs: run npm run format" >&2; exit 1; }

# vitest in two lanes side by side: local files, and the files on the local Kubernetes.
bash scripts/test-lanes.sh "$@"
