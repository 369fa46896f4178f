"""Packaging: the wheel's contents, the server-only install, the pinned versions.

- Every package in the source tree is listed for the wheel (the list is explicit because
  resources/ is mapped into the package from the top of the repository).
- A plain install is the server: the server path imports nothing of the [stations] extra
  (Qt, speech, printers, the windows' HTTP client), and a window command on such an install
  says what to install instead of a traceback.
- A wheel built from a clean checkout carries the compiled translations (the in-tree build
  backend, installers/python/counter_app_build.py, compiles them).
- constraints.txt pins every requirement the test set-up installs.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Top-level modules that only the [stations] extra brings (pyproject.toml).
STATION_MODULES = ("PySide6", "shiboken6", "requests", "pyttsx3", "escpos", "serial", "usb")

# Top-level modules of the smaller extras: [tls], [apidocs], [postgres].
EXTRA_MODULES = ("cryptography", "swagger_ui_bundle", "psycopg", "psycopg_pool")


def blocking(modules: tuple[str, ...]) -> str:
    """Code to run first in a child interpreter: any import of these top-level modules
    fails, as on an install without them (where they are not there at all)."""
    return f"""
import importlib.abc, sys
class _NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in {modules!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, _NotInstalled())
"""


BLOCK_STATION_MODULES = blocking(STATION_MODULES)
# A plain `pip install counter-app`: no station library and none of the smaller extras.
BLOCK_PLAIN_INSTALL = blocking(STATION_MODULES + EXTRA_MODULES)


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTER_APP_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _run_python(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_child_env(),
        check=False,
    )


def test_every_package_is_in_the_wheel() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "counter_app").rglob("__init__.py")
    }
    # resources/ is mapped into the package; its data folders (and the web pages' templates)
    # are listed as packages so setuptools ships them without warnings.
    resources = {
        "counter_app.resources",
        "counter_app.resources.sounds",
        "counter_app.resources.translations",
        "counter_app.server.web.templates",
        "counter_app.hub.templates",
    }
    assert found | resources == listed


def test_the_server_path_imports_no_station_library(tmp_path: Path) -> None:
    """The CLI and a built app (database migrated) load no Qt, speech or printer module."""
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    code = f"""
import sys
from counter_app.cli import build_parser
from counter_app.config import Settings
from counter_app.server.app import create_app
build_parser()
create_app(Settings(db_url={db_url!r}), sweep=False)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {STATION_MODULES!r})
print("station modules:", loaded)
"""
    result = _run_python(code)
    assert result.returncode == 0, result.stderr
    assert "station modules: []" in result.stdout, result.stdout


# What the server on an existing SQLite database does not load until (unless) it is used:
# the smaller extras, the migrations' machinery, the simulation's route, the libraries of
# rare pages and reports, and what only the hub or the windows use. Each would add to the
# start's time and to the idle process's memory (docs/PERFORMANCE.md, "Install, backup,
# start").
NOT_LOADED_AT_START = (
    "cryptography",
    "swagger_ui_bundle",
    "psycopg",
    "psycopg_pool",
    # SQLAlchemy's PostgreSQL dialect: the partial indexes' PostgreSQL conditions and the
    # PostgreSQL INSERT are loaded on PostgreSQL only (store/models.py, store/upsert.py).
    "sqlalchemy.dialects.postgresql",
    "alembic",
    "jinja2",
    "qrcode",
    "PIL",
    "xlsxwriter",
    "counter_app.server.api_docs",
    # The reports' own code, until the first report (server/api/reports.py).
    "counter_app.store.reports",
    "counter_app.export.csv_file",
    "counter_app.server.api.sim",
    "counter_app.simulate",
    "counter_app.hub",
    # A branch without a hub: no push, no pull, none of the hub's wire models.
    "counter_app.server.hub_push",
    "counter_app.server.hub_pull",
    "counter_app.server.hub_feed",
    "counter_app.server.hub_http",
    "counter_app.schemas.hub",
    "counter_app.schemas.hub_booking",
    "counter_app.client",
    "counter_app.views",
)


def test_the_server_start_loads_nothing_it_does_not_need(tmp_path: Path) -> None:
    """Built as ``counter-app server`` builds it, on a database migrated before, with the
    LAN addresses it announces looked up: none of NOT_LOADED_AT_START is imported."""
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    build = f"""
from counter_app.config import Settings
from counter_app.server.app import create_app
create_app(Settings(db_url={db_url!r}), sweep=False)
"""
    made = _run_python(build)  # the office's database, migrated once
    assert made.returncode == 0, made.stderr
    code = f"""
import sys
from counter_app.cli import build_parser
from counter_app.server import serving
from counter_app.server.tls import lan_addresses
build_parser()
{build}
lan_addresses()  # what announcing the server on the LAN looks up (server/discovery.py)
print("loaded:", sorted(m for m in {NOT_LOADED_AT_START!r} if m in sys.modules))
"""
    result = _run_python(code)
    assert result.returncode == 0, result.stderr
    assert "loaded: []" in result.stdout, result.stdout


def test_the_plain_install_names_the_extra_a_feature_needs(tmp_path: Path) -> None:
    """Without [tls] or [apidocs], the commands that need them say which extra to install;
    the fingerprint of a certificate the office brings is read without them."""
    from counter_app.server.tls import make_self_signed

    made = make_self_signed(tmp_path / "tls", ["localhost"], [])
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    cases = [
        (["server", "--db", db_url, "--tls", "self-signed"], {}, 2, "counter-app[tls]"),
        (["tls", "make-cert", "--dir", str(tmp_path / "new")], {}, 2, "counter-app[tls]"),
        (["server", "--db", db_url], {"COUNTER_APP_API_DOCS": "true"}, 2, "counter-app[apidocs]"),
        (["tls", "fingerprint", str(made.cert)], {}, 0, made.fingerprint),
    ]
    for argv, env, status, said in cases:
        code = BLOCK_PLAIN_INSTALL + (
            f"from counter_app.cli import main\nraise SystemExit(main({argv!r}))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=60,
            env={**_child_env(), "COUNTER_APP_ANNOUNCE": "false", **env},
            check=False,
        )
        assert result.returncode == status, (argv, result.stdout, result.stderr)
        assert said in result.stdout + result.stderr, (argv, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, (argv, result.stderr)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_the_server_runs_without_the_station_libraries(tmp_path: Path) -> None:
    """``counter-app server`` with every station module unimportable starts, serves its API
    and its web pages, and stops cleanly on SIGTERM."""
    port = _free_port()
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    code = BLOCK_STATION_MODULES + (
        "from counter_app.cli import main\n"
        f"raise SystemExit(main(['server', '--db', {db_url!r}, '--port', '{port}']))\n"
    )
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**_child_env(), "COUNTER_APP_API_DOCS": "true"},  # off by default
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "no answer in 60 s\n" + log_path.read_text()
            try:
                if requests.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        for path in ("/pesan", "/docs", "/docs/assets/swagger-ui-bundle.js", "/openapi.json"):
            response = requests.get(f"{url}{path}", timeout=10)
            assert response.status_code == 200, (path, response.text[:300])
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    log = log_path.read_text()
    # uvicorn shuts down gracefully, then ends by the signal it was sent.
    assert proc.returncode in (0, -signal.SIGTERM), log
    assert "Finished server process" in log, log
    assert "Traceback" not in log, log


@pytest.mark.parametrize("command", ["counter", "display", "kiosk", "supervisor", "reports"])
def test_a_window_without_the_station_libraries_says_what_to_install(command: str) -> None:
    code = BLOCK_STATION_MODULES + (
        f"from counter_app.cli import main\nraise SystemExit(main([{command!r}]))\n"
    )
    result = _run_python(code)
    assert result.returncode == 2, result.stderr
    assert "counter-app[stations]" in result.stderr
    assert "Traceback" not in result.stderr


def _load_backend() -> ModuleType:
    path = ROOT / "installers" / "python" / "counter_app_build.py"
    spec = importlib.util.spec_from_file_location("counter_app_build_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_asks_for_qt_only_when_a_translation_needs_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = _load_backend()
    monkeypatch.setattr(backend, "TRANSLATIONS", tmp_path)
    ts = tmp_path / "counter_app_id.ts"
    ts.write_text("<TS/>", encoding="utf-8")
    assert backend._lrelease_requirement() == [backend.LRELEASE_REQUIREMENT]
    qm = tmp_path / "counter_app_id.qm"
    qm.write_bytes(b"compiled")
    os.utime(qm, (ts.stat().st_mtime + 10, ts.stat().st_mtime + 10))
    assert backend._lrelease_requirement() == []
    os.utime(ts, (qm.stat().st_mtime + 10, qm.stat().st_mtime + 10))  # edited since
    assert backend._lrelease_requirement() == [backend.LRELEASE_REQUIREMENT]


def _clean_copy(destination: Path) -> Path:
    """The files a fresh clone would have (tracked, plus new ones not ignored): no .qm."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_wheel_from_a_clean_checkout_carries_the_compiled_translations(
    tmp_path: Path,
) -> None:
    """``pip wheel .`` (isolated build, as a user runs it) compiles the .ts files."""
    source = _clean_copy(tmp_path / "source")
    catalogues = sorted(p.stem for p in (source / "resources" / "translations").glob("*.ts"))
    assert catalogues
    assert not list(source.rglob("*.qm"))
    out = tmp_path / "wheels"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (wheel,) = out.glob("counter_app-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        compiled = {
            Path(n).stem: archive.getinfo(n).file_size
            for n in names
            if n.startswith("counter_app/resources/translations/") and n.endswith(".qm")
        }
    assert sorted(compiled) == catalogues
    assert all(size > 100 for size in compiled.values()), compiled


def _requirement_name(requirement: str) -> str:
    name = re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def test_constraints_pin_every_requirement_of_the_test_setup() -> None:
    """scripts/bootstrap.sh installs [all,dev] with constraints.txt: each is pinned there."""
    project = PYPROJECT["project"]
    wanted = [*project["dependencies"]]
    for extra in ("postgres", "tls", "apidocs", "stations", "dev"):
        wanted += project["optional-dependencies"][extra]
    # Windows-only requirements are not in a Linux freeze.
    linux = {_requirement_name(r) for r in wanted if "sys_platform == 'win32'" not in r}
    pinned = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pinned[_requirement_name(name)] = version
    assert all(pinned.values()), "every line pins one version (name==version)"
    assert linux - set(pinned) == set()
    assert "-c constraints.txt" in (ROOT / "scripts" / "bootstrap.sh").read_text()


def _takes_db(parser: argparse.ArgumentParser) -> bool:
    for action in parser._actions:
        if "--db" in action.option_strings:
            return True
        if isinstance(action, argparse._SubParsersAction) and any(
            _takes_db(child) for child in action.choices.values()
        ):
            return True
    return False


def test_the_debian_command_gives_every_database_command_the_servers_settings() -> None:
    """`sudo counter-app device pair …` on the Debian package works on the service's database
    (/etc/counter-app/counter-app.env, as the service's user), not on root's own empty one:
    every command with --db is in the wrapper's list, but demo (its own database) and hub
    (the hub's own settings, docs/HUB.md)."""
    from counter_app.cli import build_parser

    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    with_db = {name for name, p in commands.choices.items() if _takes_db(p)} - {"demo", "hub"}
    wrapper = (ROOT / "installers" / "debian" / "counter-app.sh").read_text(encoding="utf-8")
    listed = re.search(r"^\s*(init\|[a-z|]+)\)$", wrapper, re.MULTILINE)
    assert listed is not None, "the wrapper's list of database commands"
    assert set(listed[1].split("|")) == with_db


def test_the_service_may_list_the_interfaces_it_announces_on() -> None:
    """The server's LAN announcement (zeroconf, through ifaddr's getifaddrs) opens a netlink
    socket: a unit whose RestrictAddressFamilies leaves AF_NETLINK out makes it fail with
    EAFNOSUPPORT, and stations never find the server (seen by installers/e2e-deb.sh)."""
    unit = (ROOT / "installers" / "debian" / "counter-app-server.service").read_text("utf-8")
    families = re.findall(r"^RestrictAddressFamilies=(.*)$", unit, re.MULTILINE)
    assert families, "the unit restricts its address families"
    assert {"AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK"} <= set(" ".join(families).split())
