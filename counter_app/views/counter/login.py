"""Sign in (server address remembered) and choose the counter to open."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.vocabulary import CounterState
from counter_app.schemas.office import CounterOut
from counter_app.views.counter.panels import big_font
from counter_app.views.counter.session import OfficerSession, open_counter, sign_in
from counter_app.views.find_server import Browse, FindServerBox
from counter_app.views.messages import describe
from counter_app.views.plain import plain_label
from counter_app.views.settings import AppSettings
from counter_app.views.tasks import TaskRunner

ERROR_STYLE = "color:#b71c1c;font-weight:bold;"


class LoginDialog(QDialog):
    """The sign-in; the counter's by default. Another window (the supervisor's) passes its own
    titles and ``sign_in_with``, whose answer is kept in ``signed_in``."""

    def __init__(
        self,
        settings: AppSettings,
        server_url: str | None = None,
        parent: QWidget | None = None,
        *,
        window_title: str | None = None,
        heading: str | None = None,
        sign_in_with: Callable[[str, str, str], object] | None = None,
        browse_servers: Browse | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("login_dialog")
        self.setWindowTitle(window_title or self.tr("Counter — sign in"))
        self.settings = settings
        self.runner = TaskRunner(self)
        self.session: OfficerSession | None = None
        self.signed_in: object | None = None
        self._sign_in_with: Callable[[str, str, str], object] = sign_in_with or sign_in
        title = plain_label(heading or self.tr("Sign in to your counter"))
        title.setFont(big_font(16))
        self.server = QLineEdit(server_url or settings.server_url)
        self.server.setObjectName("server")
        self.username = QLineEdit(settings.last_username)
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = plain_label("")
        self.error.setObjectName("login_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.submit = QPushButton(self.tr("Sign in"))
        self.submit.setObjectName("sign_in")
        self.submit.setDefault(True)
        self.submit.setMinimumHeight(44)
        self.submit.clicked.connect(self.sign_in)
        form = QFormLayout()
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        self.finder: FindServerBox | None = None
        if browse_servers is not None:
            # A first start: list the servers found on the LAN (typing stays possible).
            self.finder = FindServerBox(with_code=False, browse_servers=browse_servers)
            self.finder.chosen.connect(self.server.setText)
            layout.addWidget(self.finder)
            self.finder.start_search()
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.submit)
        self.setMinimumWidth(420)
        (self.password if self.username.text() else self.username).setFocus()

    def sign_in(self) -> None:
        server, username, password = (
            self.server.text().strip(),
            self.username.text().strip(),
            self.password.text(),
        )
        if not server or not username or not password:
            self.error.setText(self.tr("Fill in the server, your username and your password."))
            return
        self.submit.setEnabled(False)
        self.error.setText(self.tr("Signing in…"))

        def done(result: object) -> None:
            self.settings.server_url = server
            self.settings.last_username = username
            self.signed_in = result
            if isinstance(result, OfficerSession):
                self.session = result
            self.accept()

        def failed(exc: Exception) -> None:
            self.submit.setEnabled(True)
            self.error.setText(describe(exc))

        work = self._sign_in_with
        self.runner.run(lambda: work(server, username, password), done, failed)


class CounterPicker(QDialog):
    """The counters this officer may open; one click opens it."""

    def __init__(self, session: OfficerSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counter_picker")
        self.setWindowTitle(self.tr("Choose your counter"))
        self.session = session
        self.runner = TaskRunner(self)
        self.counter: CounterOut | None = None
        self.listing = QListWidget()
        self.listing.setObjectName("counters")
        self.listing.setFont(big_font(16, bold=False))
        for counter in session.counters:
            item = QListWidgetItem(self._label(counter))
            item.setData(Qt.ItemDataRole.UserRole, counter.id)
            taken = counter.officer_id not in (None, session.user.id)
            if taken:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.listing.addItem(item)
        self.error = plain_label("")
        self.error.setObjectName("picker_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.open_button = QPushButton(self.tr("Open this counter"))
        self.open_button.setObjectName("open_counter")
        self.open_button.setMinimumHeight(44)
        self.open_button.clicked.connect(self.open_selected)
        self.listing.itemDoubleClicked.connect(lambda _item: self.open_selected())
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                self.tr("Signed in as {name}").format(
                    name=session.user.full_name or session.user.username
                )
            )
        )
        layout.addWidget(self.listing)
        layout.addWidget(self.error)
        layout.addWidget(self.open_button)
        self.setMinimumSize(420, 360)
        if self.listing.count():
            self.listing.setCurrentRow(0)

    def _label(self, counter: CounterOut) -> str:
        if counter.state is CounterState.CLOSED:
            return counter.name
        who = counter.officer_name or "—"
        return self.tr("{name} (open: {who})").format(name=counter.name, who=who)

    def open_selected(self) -> None:
        item = self.listing.currentItem()
        if item is None:
            self.error.setText(self.tr("Choose a counter."))
            return
        counter_id = int(item.data(Qt.ItemDataRole.UserRole))
        self.open_button.setEnabled(False)

        def done(counter: CounterOut) -> None:
            self.counter = counter
            self.accept()

        def failed(exc: Exception) -> None:
            self.open_button.setEnabled(True)
            self.error.setText(describe(exc))

        self.runner.run(lambda: open_counter(self.session, counter_id), done, failed)
