#!/usr/bin/env bash
# `npm start`: install prerequisites, then run the platform with the embedded defaults. The first start
# provisions Flink 1.20 from Maven Central and starts its local session cluster; the API and console
# listen on http://localhost:8080. Ctrl-C stops the platform and its Flink processes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh
exec bin/sluice server "$@"
