#!/usr/bin/env bash
# Run the whole test suite: lint, types, then pytest (unit, integration on SQLite and
# PostgreSQL, GUI offscreen, end-to-end). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check counter_app tests bench scripts
.venv/bin/ruff format --check counter_app tests bench scripts
.venv/bin/mypy counter_app
exec .venv/bin/pytest -p no:cacheprovider "$@"
