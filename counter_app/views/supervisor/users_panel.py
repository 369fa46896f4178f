"""The admin's user list: disable, enable, reset a password (the supervisor window's
"Users…" action, shown to admins only).

Every call runs off the Qt thread (TaskRunner); one at a time, and the buttons wait while it
is in flight. The server checks every permission again (an admin acts within their branch)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.api import ApiClient
from counter_app.schemas.auth import UserOut
from counter_app.views.counter.dialogs import ok_cancel
from counter_app.views.messages import describe
from counter_app.views.plain import plain_label
from counter_app.views.tasks import TaskRunner

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


class UsersDialog(QDialog):
    def __init__(self, client: ApiClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("users_dialog")
        self.setWindowTitle(self.tr("Users"))
        self.client = client
        self.runner = TaskRunner(self, max_threads=1)
        self.users: list[UserOut] = []
        self.busy = False
        self.password_dialog: NewPasswordDialog | None = None

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("users_table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Username"), self.tr("Name"), self.tr("Role"), self.tr("Status")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self.refresh_buttons)
        self.status = plain_label("")
        self.status.setObjectName("users_status")
        self.status.setWordWrap(True)
        self.disable_button = self._button(self.tr("Disable"), "disable_user", self.disable)
        self.enable_button = self._button(self.tr("Enable"), "enable_user", self.enable)
        self.password_button = self._button(
            self.tr("Reset password…"), "reset_password", self.ask_password
        )
        row = QHBoxLayout()
        for button in (self.disable_button, self.enable_button, self.password_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.resize(640, 420)
        self.load()

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # --- the list ---

    def load(self) -> None:
        self._run(self.client.list_users, self._loaded)

    def _loaded(self, users: object) -> None:
        assert isinstance(users, list)
        chosen = self.selected()
        self.users = users
        self.table.setRowCount(len(users))
        for row, user in enumerate(users):
            state = self.tr("active") if user.active else self.tr("disabled")
            for col, text in enumerate((user.username, user.full_name, user.role.value, state)):
                self.table.setItem(row, col, QTableWidgetItem(text))
            if chosen is not None and user.id == chosen.id:
                self.table.selectRow(row)
        self.refresh_buttons()

    def selected(self) -> UserOut | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.users[row] if 0 <= row < len(self.users) else None

    def select_user(self, username: str) -> bool:
        for row, user in enumerate(self.users):
            if user.username == username:
                self.table.selectRow(row)
                return True
        return False

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

    def _run(self, work: Callable[[], object], on_done: Callable[[object], None]) -> None:
        if self.busy:
            return
        self.busy = True
        self.refresh_buttons()

        def finished(result: object) -> None:
            self.busy = False
            on_done(result)
            self.refresh_buttons()

        def failed(exc: Exception) -> None:
            self.busy = False
            self.status.setText(describe(exc))
            self.refresh_buttons()

        self.runner.run(work, finished, failed)

    def done(self, result: int) -> None:
        self.runner.wait(5000)
        super().done(result)
