"""The counter PC's settings: Indonesian by default, English when chosen, a USB call keypad."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from counter_app.views.counter.controller import CounterCommand
from counter_app.views.counter.settings_dialog import SettingsDialog
from counter_app.views.counter.window import CounterWindow
from counter_app.views.settings import AppSettings
from tests.conftest import Running
from tests.gui.conftest import UseLanguage
from tests.gui.counter_helpers import counter_window, shown_number
from tests.gui.waits import WAIT_MS
from tests.support.queue_ops import issue, state_of


def first_line(window: CounterWindow, action: CounterCommand) -> str:
    return window.buttons[action].text().splitlines()[0]


def open_settings(qtbot: QtBot, window: CounterWindow) -> SettingsDialog:
    window.settings_button.click()
    dialog = window.settings_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_the_window_is_in_indonesian_by_default(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings, use_language: UseLanguage
) -> None:
    assert app_settings.language == "id"
    use_language(app_settings.language)
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    assert first_line(window, CounterCommand.CALL_NEXT) == "Panggil berikutnya"
    assert first_line(window, CounterCommand.RECALL) == "Panggil ulang"
    assert first_line(window, CounterCommand.START) == "Mulai layani"
    assert first_line(window, CounterCommand.FINISH) == "Selesai"
    assert first_line(window, CounterCommand.RETURN) == "Kembalikan ke antrean"
    assert window.buttons[CounterCommand.CLOSE].text() == "Tutup loket"
    qtbot.waitUntil(lambda: window.state_label.text() == "Buka", timeout=WAIT_MS)
    assert window.ticket_panel.service.text() == "Belum ada nomor di loket ini"


def test_english_chosen_in_settings_applies_at_the_next_start(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings, use_language: UseLanguage
) -> None:
    use_language(app_settings.language)
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    dialog = open_settings(qtbot, window)
    assert dialog.windowTitle() == "Pengaturan"
    assert dialog.language.currentData() == "id"
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.save()
    assert not dialog.isVisible()
    assert (
        first_line(window, CounterCommand.CALL_NEXT) == "Panggil berikutnya"
    )  # until the next start

    # The next start reads the same settings file afresh.
    path = app_settings.qt.fileName()
    next_start = AppSettings(QSettings(path, QSettings.Format.IniFormat))
    assert next_start.language == "en"
    use_language(next_start.language)
    again = counter_window(qtbot, running_sqlite.server.url, "petugas2", 2, next_start)
    assert first_line(again, CounterCommand.CALL_NEXT) == "Call next"
    assert again.buttons[CounterCommand.CLOSE].text() == "Close counter"


def test_a_keypad_key_mapped_in_settings_calls_the_next_ticket(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    ticket = issue(running_sqlite.kiosk, running_sqlite.office.services["A"])
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    qtbot.waitUntil(lambda: window.controller.can(CounterCommand.CALL_NEXT), timeout=WAIT_MS)
    dialog = open_settings(qtbot, window)
    field = dialog.key_edits["call_next"]
    field.setFocus()
    # The keypad's "1", as a USB keypad types it.
    qtbot.keyClick(field, Qt.Key.Key_1, Qt.KeyboardModifier.KeypadModifier)
    assert dialog.chosen_keys()["call_next"] == "1"
    dialog.save()
    assert app_settings.keypad_key("call_next") == "1"
    assert window.buttons[CounterCommand.CALL_NEXT].text().splitlines()[1] == "(F1 / 1)"

    window.activateWindow()
    assert QTest.qWaitForWindowActive(window, WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.KeypadModifier)
    qtbot.waitUntil(lambda: shown_number(window) == ticket["number"], timeout=WAIT_MS)
    assert state_of(running_sqlite.login("supervisor"), ticket["id"]) == "called"


def test_a_key_can_mean_one_action_only(
    qtbot: QtBot, running_sqlite: Running, app_settings: AppSettings
) -> None:
    app_settings.set_keypad_key("finish", "5")
    window = counter_window(qtbot, running_sqlite.server.url, "petugas1", 1, app_settings)
    dialog = open_settings(qtbot, window)
    assert dialog.chosen_keys()["finish"] == "5"
    dialog.key_edits["recall"].setKeySequence("F1")  # Call next's own key
    dialog.save()
    assert dialog.isVisible()
    assert "F1" in dialog.error.text()
    dialog.key_edits["recall"].setKeySequence("5")  # already the keypad key for Finish
    dialog.save()
    assert dialog.isVisible()
    assert "5" in dialog.error.text()
    assert app_settings.keypad_key("recall") == ""
    dialog.key_edits["recall"].clear()
    dialog.save()
    assert not dialog.isVisible()
