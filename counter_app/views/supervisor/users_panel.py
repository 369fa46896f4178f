"""The admin's user list: disable, enable, reset a password (the supervisor window's
"Users…" action, shown to admins only).

Every call runs off the Qt thread (TaskRunner); one at a time, and the buttons wait while it
is in flight. The server checks every permission again (an admin acts within their branch)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.api import ApiClient
from counter_app.schemas.auth import UserOut
from counter_app.views.counter.dialogs import ok_cancel
from counter_app.views.plain import plain_label
from counter_app.views.supervisor.table_dialog import TableDialog

MIN_PASSWORD_LENGTH = 8  # as the server's NewPassword
ERROR_STYLE = "color:#b71c1c;font-weight:bold;"


class NewPasswordDialog(QDialog):
    """A new password, typed twice."""

    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new_password_dialog")
        self.setWindowTitle(self.tr("Reset password"))
        self.first = QLineEdit()
        self.first.setObjectName("new_password")
        self.second = QLineEdit()
        self.second.setObjectName("new_password_again")
        for field in (self.first, self.second):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setMaxLength(200)
        self.error = plain_label("")
        self.error.setObjectName("password_error")
        self.error.setStyleSheet(ERROR_STYLE)
        form = QFormLayout()
        form.addRow(self.tr("New password"), self.first)
        form.addRow(self.tr("Once more"), self.second)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                self.tr("A new password for {name}. Their open sessions end.").format(name=username)
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, self.tr("Set password"), self.check))

    def check(self) -> None:
        if len(self.first.text()) < MIN_PASSWORD_LENGTH:
            self.error.setText(
                self.tr("A password needs at least {n} characters.").format(n=MIN_PASSWORD_LENGTH)
            )
            return
        if self.first.text() != self.second.text():
            self.error.setText(self.tr("The two passwords differ."))
            return
        self.accept()


class UsersDialog(TableDialog[UserOut]):
    def __init__(self, client: ApiClient, parent: QWidget | None = None) -> None:
        super().__init__(client, "users", 4, parent)
        self.setWindowTitle(self.tr("Users"))
        self.password_dialog: NewPasswordDialog | None = None
        self.table.setHorizontalHeaderLabels(
            [self.tr("Username"), self.tr("Name"), self.tr("Role"), self.tr("Status")]
        )
        self.disable_button = self._button(self.tr("Disable"), "disable_user", self.disable)
        self.enable_button = self._button(self.tr("Enable"), "enable_user", self.enable)
        self.password_button = self._button(
            self.tr("Reset password…"), "reset_password", self.ask_password
        )
        self._lay_out((self.disable_button, self.enable_button, self.password_button), 640)

    @property
    def users(self) -> list[UserOut]:
        return self.rows

    # --- the list ---

    def fetch(self) -> list[UserOut]:
        return self.client.list_users()

    def texts(self, user: UserOut) -> tuple[str, ...]:
        state = self.tr("active") if user.active else self.tr("disabled")
        return (user.username, user.full_name, user.role.value, state)

    def select_user(self, username: str) -> bool:
        return self._select(lambda user: user.username == username)

    def refresh_buttons(self) -> None:
        user = self.selected()
        self.disable_button.setEnabled(not self.busy and user is not None and user.active)
        self.enable_button.setEnabled(not self.busy and user is not None and not user.active)
        self.password_button.setEnabled(not self.busy and user is not None)

    # --- the actions ---

    def disable(self) -> None:
        user = self.selected()
        if user is not None:
            self._act(lambda: self.client.disable_user(user.id), self.tr("{name} is disabled."))

    def enable(self) -> None:
        user = self.selected()
        if user is not None:
            self._act(lambda: self.client.enable_user(user.id), self.tr("{name} is enabled."))

    def ask_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = NewPasswordDialog(user.username, self)
        self.password_dialog = dialog

        def chosen() -> None:
            password = dialog.first.text()
            self._act(
                lambda: self.client.set_password(user.id, password),
                self.tr("{name} has a new password."),
            )

        dialog.accepted.connect(chosen)
        dialog.open()

    def _act(self, work: Callable[[], UserOut], done_text: str) -> None:
        def done(answer: object) -> None:
            assert isinstance(answer, UserOut)
            self.status.setText(done_text.format(name=answer.username))
            self.load()

        self._run(work, done)
