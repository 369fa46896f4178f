#!/usr/bin/env bash
# Run the whole test suite: lint, types, then pytest (unit, integration on SQLite and
# PostgreSQL, GUI offscreen, end-to-end), as CI does. Extra arguments go to pytest.
#
# --quick (first argument): the developer's loop: lint, then the tests that need neither
# PostgreSQL nor much time (pytest -m "not postgres and not slow"); no type check.
#
# pytest runs in COUNTER_APP_TEST_WORKERS processes (pytest-xdist; default 2, one per core of
# the reference machine; 0 runs in this process). Each test file stays in one process
# (--dist loadfile): tests that share a module's state run in order, as written.
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
workers="${COUNTER_APP_TEST_WORKERS:-2}"
parallel=()
if [[ "$workers" != "0" ]]; then
    parallel=(-n "$workers" --dist loadfile)
fi
if $quick; then
    exec .venv/bin/pytest -p no:cacheprovider "${parallel[@]}" -m "not postgres and not slow" "$@"
fi
.venv/bin/mypy counter_app
exec .venv/bin/pytest -p no:cacheprovider "${parallel[@]}" "$@"
