#!/usr/bin/env bash
# Run the whole test suite: lint, types, then pytest (unit, integration on SQLite and
# PostgreSQL, GUI offscreen, end-to-end), as CI does. Extra arguments go to pytest.
#
# --quick (first argument): the developer's loop: lint, then the tests that need neither
# PostgreSQL nor much time (pytest -m "not postgres and not slow"); no type check.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
if [[ "${1:-}" == "--quick" ]]; then
    quick=true
    shift
fi
scripts/bootstrap.sh test
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check counter_app tests bench scripts
.venv/bin/ruff format --check counter_app tests bench scripts
if $quick; then
    exec .venv/bin/pytest -p no:cacheprovider -m "not postgres and not slow" "$@"
fi
.venv/bin/mypy counter_app
exec .venv/bin/pytest -p no:cacheprovider "$@"
