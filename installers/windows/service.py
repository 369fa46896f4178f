"""counter-app-service.exe: the server as a Windows service (pywin32's win32serviceutil).

The installer registers it (``counter-app-service.exe --startup auto install``) and starts it;
it runs ``counter-app server`` in this process and stops it when Windows asks. Settings come
from the environment as for the command (COUNTER_APP_*), plus the file
%ProgramData%\\counter-app\\counter-app.env (KEY=value lines) that the installer writes; the
database defaults to %ProgramData%\\counter-app\\counter_app.sqlite3. docs/INSTALL.md.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import servicemanager  # type: ignore[import-not-found]
import win32event  # type: ignore[import-not-found]
import win32service  # type: ignore[import-not-found]
import win32serviceutil  # type: ignore[import-not-found]

DATA = Path(os.environ.get("ProgramData", r"C:\ProgramData")) / "counter-app"
SETTINGS_FILE = DATA / "counter-app.env"


def load_settings() -> None:
    """KEY=value lines of the settings file into the environment (the file wins)."""
    os.environ.setdefault("COUNTER_APP_DB_URL", f"sqlite:///{DATA / 'counter_app.sqlite3'}")
    os.environ.setdefault("COUNTER_APP_HOST", "0.0.0.0")
    if SETTINGS_FILE.is_file():
        for line in SETTINGS_FILE.read_text(encoding="utf-8").splitlines():
            key, sep, value = line.strip().partition("=")
            if sep and key and not key.startswith("#"):
                os.environ[key.strip()] = value.strip()


class CounterAppService(win32serviceutil.ServiceFramework):  # type: ignore[misc]
    _svc_name_ = "counter-app-server"
    _svc_display_name_ = "counter_app server"
    _svc_description_ = "Queue-calling server for the office's counters, kiosks and TVs."

    def __init__(self, args: list[str]) -> None:
        super().__init__(args)
        self._stop = win32event.CreateEvent(None, 0, 0, None)
        self._server: object | None = None

    def SvcStop(self) -> None:  # noqa: N802 (pywin32's name)
        self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING)
        if self._server is not None:
            self._server.should_exit = True  # type: ignore[attr-defined]
        win32event.SetEvent(self._stop)

    def SvcDoRun(self) -> None:  # noqa: N802 (pywin32's name)
        from counter_app.config import Settings
        from counter_app.server.app import create_app
        from counter_app.server.serving import StreamAwareServer, config

        load_settings()
        DATA.mkdir(parents=True, exist_ok=True)
        settings = Settings()
        # The same server as `counter-app server`: open event streams end promptly on stop.
        server = StreamAwareServer(
            config(create_app(settings), settings.host, settings.port, settings.log_level)
        )
        self._server = server
        worker = threading.Thread(target=server.run, name="counter-app-server")
        worker.start()
        servicemanager.LogInfoMsg(f"counter_app server on port {settings.port}")
        win32event.WaitForSingleObject(self._stop, win32event.INFINITE)
        worker.join(timeout=60)


if __name__ == "__main__":
    if len(sys.argv) == 1:
        servicemanager.Initialize()
        servicemanager.PrepareToHostSingle(CounterAppService)
        servicemanager.StartServiceCtrlDispatcher()
    else:
        win32serviceutil.HandleCommandLine(CounterAppService)
