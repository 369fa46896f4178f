"""One QApplication per process, with the language installed."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from counter_app.views.i18n import install_language
from counter_app.views.pins import use_station_pins
from counter_app.views.settings import AppSettings


def ensure_app(settings: AppSettings | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("counter-app")
    app.setApplicationName("counter-app")
    chosen = settings or AppSettings()
    install_language(app, chosen.language)
    use_station_pins(chosen.qt)  # HTTPS: server certificates pinned in this PC's settings
    return app
