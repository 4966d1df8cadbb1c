#!/usr/bin/env bash
# `npm test`: every test, against real PostgreSQL and a real local Flink. Installs what it needs,
# type-checks and lints, runs vitest, and prints one closing line "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh --test || exit 1

# Safety net: a test run killed half-way must not leave Flink JVMs or PostgreSQL behind.
cleanup() {
  pkill -KILL -f -- '-Dsluice.cluster.dir=/tmp/sluice-' 2>/dev/null || true
  for d in /tmp/sluice-pg-*/data; do
    [ -d "$d" ] && runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | tail -1)/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1
  done
  return 0
}
trap cleanup EXIT

npx tsc --noEmit || exit 1
npx tsc --noEmit -p src/web || exit 1
npx eslint . || exit 1
npx prettier --check . >/dev/null || { echo "formatting differs: run npm run format" >&2; exit 1; }

mkdir -p test-artifacts
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json "$@"
status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-artifacts/vitest.json", "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' || echo "tests: 0 passed, 1 failed"
exit $status
