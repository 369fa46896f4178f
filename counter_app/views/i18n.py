"""Language of the windows: Indonesian by default, English selectable.

Source strings are English inside ``tr()``; the Indonesian catalogue is a Qt Linguist file,
``resources/translations/counter_app_id.ts``, compiled to ``.qm`` at install time
(``scripts/build_translations.py``; the bootstrap runs it). Dates and times use id-ID.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

log = logging.getLogger(__name__)
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANGUAGE = "id"


def translations_dir() -> Path:
    return Path(str(resources.files("counter_app.resources").joinpath("translations")))


def install_language(app: QCoreApplication, language: str = DEFAULT_LANGUAGE) -> QTranslator | None:
    """Load the catalogue for ``language`` into ``app``; English needs none."""
    locale = QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)
    if language == "en":
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    QLocale.setDefault(locale)
    if language == "en":
        return None
    translator = QTranslator(app)
    compiled = translations_dir() / f"counter_app_{language}.qm"
    if not translator.load(str(compiled)):
        log.warning("no compiled translation at %s; showing English", compiled)
        return None
    app.installTranslator(translator)
    return translator
