"""The Windows installer script (installers/windows/counter-app.nsi), checked on Linux.

- It compiles with NSIS's makensis (warnings are errors) against a stand-in of the PyInstaller
  folder: the file names counter-app.spec produces, tiny contents. The setup program comes
  out named by the version, with that version in its file properties.
- It has every component (server, counter, TV, kiosk, survey screen, supervisor and
  reports), a Start-menu shortcut for each window, the autostart values
  `counter-app station install` uses, the service, the firewall rule both ways.
- Its fixed GUID is pyproject.toml's, and has never changed; the version comes only from
  counter_app.__version__ (build.ps1 passes it; the script refuses to compile without it).
- Nothing points at the Inno Setup script it replaced.

What runs only on Windows (the service registration, the firewall rule, the shortcuts, the
Run values) is not executed here; docs/INSTALL.md says so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import counter_app
from counter_app import station_install

ROOT = Path(__file__).resolve().parents[2]
WINDOWS = ROOT / "installers" / "windows"
SCRIPT = WINDOWS / "counter-app.nsi"
# The GUID the first Windows installer shipped with: installed copies are found by it.
FIRST_GUID = "{6C0B7E59-3A7D-4F0E-9E0B-1F6A3C2D8E41}"


def _script() -> str:
    return SCRIPT.read_text(encoding="utf-8")


def _defines(text: str) -> dict[str, str]:
    return dict(re.findall(r'^!define (\w+) "([^"]*)"', text, flags=re.MULTILINE))


def _spec_executables() -> list[str]:
    """The executables counter-app.spec makes on Windows: executable(analysis, "<name>", …)."""
    spec = (WINDOWS / "counter-app.spec").read_text(encoding="utf-8")
    names = re.findall(r'executable\(\w+, "([^"]+)"', spec)
    assert names, "no executable(...) call found in counter-app.spec"
    return [f"{name}.exe" for name in names]


def _makensis() -> str:
    found = shutil.which("makensis")
    assert found, "makensis is missing: scripts/bootstrap.sh test installs it (Debian: nsis)"
    return found


def _compile(tmp_path: Path, *defines: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_makensis(), "-V2", "-WX", f"-DOUTDIR={tmp_path}", *defines, str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _stand_in_dist(tmp_path: Path) -> Path:
    """A folder shaped like PyInstaller's dist/counter-app on Windows (one-folder build)."""
    dist = tmp_path / "counter-app"
    (dist / "_internal" / "counter_app" / "resources").mkdir(parents=True)
    for exe in _spec_executables():
        (dist / exe).write_bytes(b"MZ stand-in " + exe.encode())
    (dist / "_internal" / "base_library.zip").write_bytes(b"PK stand-in")
    (dist / "_internal" / "python311.dll").write_bytes(b"MZ stand-in")
    (dist / "_internal" / "counter_app" / "resources" / "counter_app_id.qm").write_bytes(b"qm")
    return dist


def test_compiles_against_the_pyinstaller_folder(tmp_path: Path) -> None:
    dist = _stand_in_dist(tmp_path)
    version = counter_app.__version__
    done = _compile(tmp_path, f"-DVERSION={version}", f"-DDIST={dist}")
    assert done.returncode == 0, done.stdout + done.stderr
    setup = tmp_path / f"counter-app-{version}-setup.exe"
    data = setup.read_bytes()
    assert data[:2] == b"MZ"  # a Windows program
    # The file properties (VERSIONINFO, UTF-16) carry the version and the product name.
    assert version.encode("utf-16-le") in data
    assert "counter_app".encode("utf-16-le") in data


def test_refuses_to_compile_without_a_version(tmp_path: Path) -> None:
    done = _compile(tmp_path, f"-DDIST={_stand_in_dist(tmp_path)}")
    assert done.returncode != 0
    assert "DVERSION" in done.stdout + done.stderr
    assert not list(tmp_path.glob("*.exe"))


def test_the_build_passes_the_package_version() -> None:
    build = (WINDOWS / "build.ps1").read_text(encoding="utf-8")
    assert "counter_app.__version__" in build
    assert '"/DVERSION=$version" installers\\windows\\counter-app.nsi' in build
    assert "/WX" in build  # a warning fails the build, as in this test


def test_the_fixed_guid_is_pyprojects_and_never_changes() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    guid = pyproject["tool"]["counter-app"]["windows-installer-guid"]
    defines = _defines(_script())
    assert defines["APP_GUID"] == guid == FIRST_GUID
    # Windows' uninstall entry is named by it: that is how an upgrade finds the installed copy.
    assert defines["UNINST_KEY"].endswith(r"\Uninstall\${APP_GUID}")
    assert re.search(r'ReadRegStr \$R0 HKLM "\$\{UNINST_KEY\}" "InstallLocation"', _script())


def test_every_component_and_window_is_there() -> None:
    text = _script()
    sections = dict(re.findall(r'^Section "\$\((\w+)\)" (\w+)$', text, flags=re.MULTILINE))
    assert sections == {
        "SecServerName": "SEC_SERVER",
        "SecCounterName": "SEC_COUNTER",
        "SecDisplayName": "SEC_DISPLAY",
        "SecKioskName": "SEC_KIOSK",
        "SecSurveyName": "SEC_SURVEY",
        "SecSupervisorName": "SEC_SUPERVISOR",
    }
    for name in sections:  # shown in both languages
        assert f"LangString {name} ${{LANG_ENGLISH}}" in text
        assert f"LangString {name} ${{LANG_INDONESIAN}}" in text
    # A Start-menu shortcut per window, started by the windowed executable.
    shortcuts = re.findall(r'CreateShortcut "[^"]+" "\$INSTDIR\\\$\{GUI_EXE\}" "([\w-]+)"', text)
    assert sorted(shortcuts) == sorted(
        ["counter", "display", "kiosk", "survey-tablet", "supervisor", "reports"]
    )
    # The script uses the executables the spec makes, by their names.
    defines = _defines(text)
    assert sorted(defines[k] for k in ("CLI_EXE", "GUI_EXE", "SERVICE_EXE")) == sorted(
        _spec_executables()
    )


def test_autostart_writes_what_station_install_writes() -> None:
    text = _script()
    written = re.findall(r"^\s*!insertmacro SetAutostart (\w+) ([\w-]+) ", text, flags=re.M)
    removed = re.findall(r'DeleteRegValue HKLM "\$\{RUN_KEY\}" "([\w-]+)"', text)
    assert _defines(text)["RUN_KEY"] == station_install.RUN_KEY
    for role in station_install.ROLES:
        sub = station_install.subcommand(role)
        assert (role, sub) in written
        # The value name `counter-app station install --role <role>` uses.
        assert station_install._value_name(role) == f"counter-app-{sub}"
        assert f"counter-app-{sub}" in removed  # the uninstaller removes it
    assert ("supervisor", "supervisor") in written
    # The command line: the windowed executable, quoted, then the sub-command.
    run_value = (
        'WriteRegStr HKLM "${RUN_KEY}" "counter-app-${SUB}" \'"$INSTDIR\\${GUI_EXE}" ${SUB}\''
    )
    assert run_value in text


def test_service_and_firewall_rule_come_and_go() -> None:
    text = _script()
    install, _, uninstall = text.partition('Section "Uninstall"')
    assert "${SERVICE_EXE}\" --startup auto install'" in install
    assert "${SERVICE_EXE}\" start'" in install
    assert "advfirewall firewall add rule" in install
    assert "localport=${SERVER_PORT}" in install
    assert "${SERVICE_EXE}\" remove'" in uninstall
    assert "advfirewall firewall delete rule" in uninstall
    # Data stays unless asked: the only removal of the data folder is behind the choice.
    assert uninstall.count('RMDir /r "${DATA_DIR}"') == 1
    guarded = r'\$\{If\} \$RemoveData == 1\s+DetailPrint "[^"]*"\s+RMDir /r "\$\{DATA_DIR\}"'
    assert re.search(guarded, uninstall)
    assert 'RMDir /r "${DATA_DIR}"' not in install
    assert _defines(text)["SERVER_PORT"] == "8750"


def test_nothing_points_at_the_inno_setup_script() -> None:
    assert not (WINDOWS / "counter-app.iss").exists()
    places = [ROOT / "README.md", WINDOWS / "build.ps1", *sorted((ROOT / "docs").glob("*.md"))]
    places += sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    for path in places:
        text = path.read_text(encoding="utf-8")
        assert "counter-app.iss" not in text, path
        assert "ISCC" not in text, path
        assert "innosetup" not in text.lower(), path
