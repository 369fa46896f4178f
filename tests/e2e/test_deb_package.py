"""The Debian package, end to end (installers/e2e-deb.sh): installed from a "USB stick" on a
fresh Debian 12 booted in systemd-nspawn with no network, its service started, the office set
up, a TV paired with a code, a backup taken and checked. Run only when asked:

    COUNTER_APP_TEST_DEB=dist/counter-app_0.1.0_amd64.deb .venv/bin/pytest -m deb tests/e2e
    COUNTER_APP_TEST_DEB=build …    (builds the package from a clean clone of HEAD first)

``COUNTER_APP_TEST_DEB_CACHE=DIR`` keeps the minimal Debian and the stick's packages between
runs (then about 2 minutes with a built package). Needs root, mmdebstrap, systemd-container
and a Debian mirror for the first run (docs/INSTALL.md, "Tested end to end").
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEB = os.environ.get("COUNTER_APP_TEST_DEB", "")

pytestmark = [
    pytest.mark.deb,
    pytest.mark.slow,
    pytest.mark.skipif(not DEB, reason="set COUNTER_APP_TEST_DEB to a .deb, or to 'build'"),
]


@pytest.mark.timeout(1800)
def test_the_package_installs_and_serves_an_office_with_no_network() -> None:
    for tool in ("mmdebstrap", "systemd-nspawn"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: apt-get install mmdebstrap systemd-container")
    command = [str(ROOT / "installers" / "e2e-deb.sh")]
    if DEB != "build":
        command += ["--deb", DEB]
    if cache := os.environ.get("COUNTER_APP_TEST_DEB_CACHE"):
        command += ["--cache", cache]
    run = subprocess.run(command, capture_output=True, text=True, timeout=1700, check=False)
    print(run.stdout)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "e2e-deb: PASS" in run.stdout
