#!/usr/bin/env bash
# The vitest part of `npm test` (scripts/test.sh), also runnable alone with the same arguments (files,
# -t ...): vitest processes side by side, each with its own global setup (PostgreSQL, engine):
# - the local lane: the unit files (two at a time), then the serial files on local Flink, one at a time;
# - two Kubernetes lanes (projects kubernetes and kubernetes-lane-local, `--shard=1/2` and `2/2`, split
#   by each file's usual length: test/support/balanced-shards.ts): the files on the shared local
#   Kubernetes, one at a time in each, each in a namespace of its own. They mostly wait on pods and the
#   operator, so two at once beside the local files take little more CPU than one, and half the time;
# - then kubernetes-harness.test.ts, once both Kubernetes lanes ended (it restarts the cluster).
# One vitest process cannot do this: vitest 4 runs a groupOrder's files in one pool, with no limit per
# project. Writes test-artifacts/vitest-{local,kubernetes-1,kubernetes-2,kubernetes-harness}.json and
# all merged into vitest.json, prints "tests: N passed, N failed" and fails when any lane fails.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-artifacts
rm -f test-artifacts/vitest*.json

# How busy the machine was during the lanes (from /proc/stat): whether a faster suite needs less work
# or better scheduling.
cpu_ticks() { awk '/^cpu /{ print $2+$3+$4+$7+$8, $5+$6 }' /proc/stat; }
read -r busy0 idle0 < <(cpu_ticks)
started=$SECONDS

# --passWithNoTests: files given as arguments may all be in the other lane.
common=(run --passWithNoTests --reporter=default --reporter=json)

# The Kubernetes lanes' lines carry a prefix, so the interleaved outputs stay readable. Started without
# npx, so that the pids are vitest's own (background jobs of a script ignore Ctrl-C: stopped here).
k8s_lane() {
  exec node_modules/.bin/vitest "${common[@]}" --outputFile.json="test-artifacts/vitest-kubernetes-$1.json" \
    --project kubernetes --project kubernetes-lane-local --shard="$1/2" "${@:2}" > >(sed -u "s/^/[k8s$1] /") 2>&1
}
# Both Kubernetes lanes, then the harness alone on the cluster once nothing else uses it (it restarts
# it), without waiting for the local lane.
k8s_lanes() {
  k8s_lane 1 "$@" &
  local one=$!
  k8s_lane 2 "$@" &
  local two=$!
  trap 'kill "$one" "$two" 2>/dev/null' EXIT INT TERM
  wait "$one"
  local one_status=$?
  wait "$two"
  local two_status=$?
  trap - EXIT INT TERM
  node_modules/.bin/vitest "${common[@]}" --outputFile.json=test-artifacts/vitest-kubernetes-harness.json \
    --project kubernetes-harness "$@" > >(sed -u 's/^/[k8s] /') 2>&1
  local harness_status=$?
  [ "$one_status" -eq 0 ] && [ "$two_status" -eq 0 ] && [ "$harness_status" -eq 0 ]
}
k8s_lanes "$@" &
k8s_pid=$!
stop_k8s_lanes() { kill "$k8s_pid" 2>/dev/null || true; }
trap stop_k8s_lanes EXIT INT TERM
npx vitest "${common[@]}" --outputFile.json=test-artifacts/vitest-local.json --project '!kubernetes*' "$@"
local_status=$?
wait "$k8s_pid"
k8s_status=$?
trap - EXIT INT TERM
wait # the prefixing seds, so their last lines come before the closing one
read -r busy1 idle1 < <(cpu_ticks)
echo "cpu: $(( 100 * (busy1 - busy0) / (busy1 - busy0 + idle1 - idle0 + 1) ))% busy on $(nproc) cores over $(( SECONDS - started )) s"

node -e '
  const fs = require("fs");
  try {
    const lanes = ["local", "kubernetes-1", "kubernetes-2", "kubernetes-harness"].map(
      (l) => `test-artifacts/vitest-${l}.json`);
    const missing = lanes.filter((f) => !fs.existsSync(f));
    if (missing.length) throw new Error(`${missing.join(", ")} missing: its lane ended before its report`);
    const rs = lanes.map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
    const merged = { ...rs[0], startTime: Math.min(...rs.map((r) => r.startTime)),
      success: rs.every((r) => r.success), testResults: rs.flatMap((r) => r.testResults) };
    for (const k of Object.keys(rs[0]).filter((k) => k.startsWith("num")))
      merged[k] = rs.reduce((n, r) => n + r[k], 0);
    fs.writeFileSync("test-artifacts/vitest.json", JSON.stringify(merged));
    if (merged.numTotalTestSuites === 0) throw new Error("no test file matched the arguments in either lane");
    console.log(`tests: ${merged.numPassedTests} passed, ${merged.numFailedTests} failed`);
  } catch (e) {
    console.log(e.message);
    console.log("tests: 0 passed, 1 failed");
    process.exit(1);
  }
' || exit 1
[ "$local_status" -eq 0 ] && [ "$k8s_status" -eq 0 ]
