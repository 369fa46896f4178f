#!/usr/bin/env bash
# Run the whole system on this machine: server on a local SQLite file with a sample office,
# plus the windows that exist. Extra arguments go to `counter-app demo` (e.g. --headless).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh runtime
exec .venv/bin/counter-app demo "$@"
