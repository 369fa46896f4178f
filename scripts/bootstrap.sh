#!/usr/bin/env bash
# Prepare this checkout: Debian packages, a virtual environment in .venv, the package itself.
# Safe to run again: each step is skipped when already done.
#   scripts/bootstrap.sh runtime   what `demo` needs: the server and every window ([all])
#   scripts/bootstrap.sh test      what the test suite needs as well ([all,dev])
# Python packages are pinned by constraints.txt (the versions the tests last passed with).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-runtime}"

# Qt (xcb + offscreen), sound (QtMultimedia needs libpulse), the offline Indonesian voice.
runtime_debs=(python3-venv libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0
  libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0
  libxcb-image0 libfontconfig1 libdbus-1-3 libpulse0 espeak-ng fonts-dejavu-core)
# A virtual screen for GUI tests, a real browser for web tests, sox to measure rendered speech,
# makensis to compile the Windows installer script.
test_debs=(xvfb chromium sox pulseaudio pulseaudio-utils nsis)

debs=("${runtime_debs[@]}")
[ "$mode" = "test" ] && debs+=("${test_debs[@]}")

missing=()
for pkg in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then as_root=(); elif command -v sudo >/dev/null; then as_root=(sudo); else
    echo "bootstrap: please install these Debian packages first: ${missing[*]}" >&2; exit 1; fi
  echo "bootstrap: installing ${missing[*]}"
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "bootstrap: Python 3.11 or newer is needed ($python is $("$python" --version 2>&1))" >&2; exit 1; }

[ -x .venv/bin/python ] || "$python" -m venv .venv
extras="[all]"; [ "$mode" = "test" ] && extras="[all,dev]"
stamp=".venv/.installed-$mode-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "bootstrap: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c constraints.txt -e ".$extras"
  touch "$stamp"
fi

# The windows' translations (.ts → .qm): quick, so on every run.
.venv/bin/python scripts/build_translations.py >/dev/null
