"""The admin's user list in the supervisor window: disable, enable, reset a password."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from counter_app.views.supervisor.users_panel import NewPasswordDialog, UsersDialog
from tests.gui.supervisor_helpers import Office, office, supervisor_window
from tests.gui.waits import WAIT_MS
from tests.support.office import PASSWORD

__all__ = ["office"]  # the fixture, used by name


def _row_state(dialog: UsersDialog, username: str) -> str:
    row = next(i for i, u in enumerate(dialog.users) if u.username == username)
    item = dialog.table.item(row, 3)
    return item.text() if item is not None else ""


def test_the_users_action_is_an_admins_only(qtbot: QtBot, office: Office) -> None:
    supervisor = supervisor_window(qtbot, office.running.server.url, "supervisor")
    assert not supervisor.users_action.isVisible()
    admin = supervisor_window(qtbot, office.running.server.url, "admin")
    assert admin.users_action.isVisible()


def test_an_admin_disables_enables_and_resets_a_password(qtbot: QtBot, office: Office) -> None:
    running = office.running
    officer = running.login("petugas1")
    window = supervisor_window(qtbot, running.server.url, "admin")
    window.users_action.trigger()
    dialog = window.users_dialog
    assert isinstance(dialog, UsersDialog)
    qtbot.waitUntil(lambda: len(dialog.users) >= 6, timeout=WAIT_MS)
    assert dialog.select_user("petugas1")
    assert dialog.disable_button.isEnabled() and not dialog.enable_button.isEnabled()

    dialog.disable_button.click()
    qtbot.waitUntil(lambda: _row_state(dialog, "petugas1") == "disabled", timeout=WAIT_MS)
    assert dialog.status.text() == "petugas1 is disabled."
    assert officer.get("/api/v1/auth/me").status_code == 401
    assert dialog.enable_button.isEnabled() and not dialog.disable_button.isEnabled()

    dialog.enable_button.click()
    qtbot.waitUntil(lambda: _row_state(dialog, "petugas1") == "active", timeout=WAIT_MS)
    running.login("petugas1")

    dialog.password_button.click()
    asked = dialog.password_dialog
    assert isinstance(asked, NewPasswordDialog)
    asked.first.setText("short")
    asked.second.setText("short")
    asked.check()
    assert asked.error.text() == "A password needs at least 8 characters."
    asked.first.setText("brand-new-pass-1")
    asked.second.setText("brand-new-pass-2")
    asked.check()
    assert asked.error.text() == "The two passwords differ."
    asked.second.setText("brand-new-pass-1")
    asked.check()
    qtbot.waitUntil(lambda: dialog.status.text() == "petugas1 has a new password.", timeout=WAIT_MS)
    r = running.anon.post("/api/v1/auth/login", {"username": "petugas1", "password": PASSWORD})
    assert r.status_code == 401
    running.anon.login("petugas1", "brand-new-pass-1")


def test_a_refusal_is_shown_in_words(qtbot: QtBot, office: Office) -> None:
    window = supervisor_window(qtbot, office.running.server.url, "admin")
    window.users_action.trigger()
    dialog = window.users_dialog
    assert isinstance(dialog, UsersDialog)
    qtbot.waitUntil(lambda: len(dialog.users) >= 6, timeout=WAIT_MS)
    assert dialog.select_user("admin")
    dialog.disable_button.click()
    qtbot.waitUntil(
        lambda: dialog.status.text() == "You cannot disable your own account.", timeout=WAIT_MS
    )
    assert _row_state(dialog, "admin") == "active"
