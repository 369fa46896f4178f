#!/usr/bin/env bash
# Build the installers from a clean checkout (needs python3 with venv, and PyPI for the build).
#   installers/build.sh deb      dist/counter-app_<version>_<arch>.deb (Debian 12 / Ubuntu)
#   installers/build.sh wheel    dist/counter_app-<version>-py3-none-any.whl (with the .qm files)
# The Windows installer is built on Windows: installers/windows/build.ps1.
# docs/INSTALL.md says what each one installs.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p dist

case "${1:-}" in
  wheel)
    tools=$(mktemp -d)
    trap 'rm -rf "$tools"' EXIT
    python3 -m venv "$tools/venv"
    rm -f dist/counter_app-*.whl
    # An isolated build, as pip does it for a user: the build backend compiles the translations.
    "$tools/venv/bin/python" -m pip wheel --no-deps -q -w dist .
    ls dist/counter_app-*.whl
    ;;
  deb) exec installers/debian/build-deb.sh ;;
  *) echo "usage: installers/build.sh deb|wheel" >&2; exit 2 ;;
esac
