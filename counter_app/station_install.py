"""Start a station (counter, TV, kiosk, survey screen) at login: on Linux an XDG autostart
entry in ``$XDG_CONFIG_HOME/autostart`` (default ``~/.config/autostart``), on Windows a value
under the current user's ``Run`` registry key. The command is that of the desktop entries
(installers/desktop): the TV, the kiosk and the survey screen start fullscreen by default."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROLES = ("counter", "display", "kiosk", "survey")

# role → (the command's sub-command, English name, Indonesian name)
_ENTRIES: dict[str, tuple[str, str, str]] = {
    "counter": ("counter", "Counter (queue)", "Loket (antrean)"),
    "display": ("display", "Waiting-room TV (queue)", "TV ruang tunggu (antrean)"),
    "kiosk": ("kiosk", "Ticket kiosk (queue)", "Kios tiket (antrean)"),
    "survey": ("survey-tablet", "Satisfaction survey (queue)", "Survei kepuasan (antrean)"),
}
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


@dataclass(frozen=True)
class Installed:
    where: str  # the file, or the registry value
    command: str


def subcommand(role: str) -> str:
    return _ENTRIES[role][0]


def program() -> list[str]:
    """How to run counter-app here: the installed command, else this Python with ``-m``."""
    found = shutil.which("counter-app")
    return [found] if found else [sys.executable, "-m", "counter_app"]


def autostart_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart"


def desktop_file(role: str) -> Path:
    return autostart_dir() / f"counter-app-{subcommand(role)}.desktop"


def desktop_entry(role: str, command: list[str]) -> str:
    sub, name, name_id = _ENTRIES[role]
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            f"Name={name}",
            f"Name[id]={name_id}",
            f"Exec={shlex.join([*command, sub])}",
            "Icon=counter-app",
            "Terminal=false",
            "X-GNOME-Autostart-enabled=true",
            "",
        ]
    )


def install(role: str, command: list[str] | None = None) -> Installed:
    if role not in _ENTRIES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    command = command or program()
    if sys.platform == "win32":
        return _install_windows(role, command)
    path = desktop_file(role)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(desktop_entry(role, command), encoding="utf-8")
    return Installed(str(path), shlex.join([*command, subcommand(role)]))


def remove(role: str) -> str | None:
    """Undo :func:`install`; what was removed, or ``None`` if nothing was there."""
    if role not in _ENTRIES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if sys.platform == "win32":
        return _remove_windows(role)
    path = desktop_file(role)
    if not path.exists():
        return None
    path.unlink()
    return str(path)


def _value_name(role: str) -> str:
    return f"counter-app-{subcommand(role)}"


def _install_windows(role: str, command: list[str]) -> Installed:  # pragma: no cover - Windows
    import subprocess
    import winreg  # type: ignore[import-not-found,unused-ignore]

    line = subprocess.list2cmdline([*command, subcommand(role)])
    with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:  # type: ignore[attr-defined,unused-ignore]
        winreg.SetValueEx(key, _value_name(role), 0, winreg.REG_SZ, line)  # type: ignore[attr-defined,unused-ignore]
    return Installed(rf"HKCU\{RUN_KEY}\{_value_name(role)}", line)


def _remove_windows(role: str) -> str | None:  # pragma: no cover - Windows
    import winreg  # type: ignore[import-not-found,unused-ignore]

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:  # type: ignore[attr-defined,unused-ignore]
            winreg.DeleteValue(key, _value_name(role))  # type: ignore[attr-defined,unused-ignore]
    except FileNotFoundError:
        return None
    return rf"HKCU\{RUN_KEY}\{_value_name(role)}"
