"""A station's first start: the servers found on the LAN (mDNS, client/discovery.py), an
address field that stays typeable, and (for a kiosk, TV or survey screen) the pairing code a
supervisor gives, exchanged for the station's own device token.

The browse and the claim are the widget's seams (``browse``, ``claim``): tests inject found
servers and a claim; the real ones run in a worker thread, the browse waiting 2 s at most."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.discovery import FoundServer, browse
from counter_app.schemas.devices import PairingClaimOut
from counter_app.views.messages import describe
from counter_app.views.plain import plain_label
from counter_app.views.tasks import TaskRunner

Browse = Callable[[], list[FoundServer]]
Claim = Callable[[str, str], PairingClaimOut]  # (server address, code) → the claim


def claim_with_api(server_url: str, code: str) -> PairingClaimOut:
    """Blocking: exchange ``code`` at ``server_url`` (its certificate pinned on first use)."""
    from counter_app.client.api import ApiClient

    with ApiClient(server_url, retries=1) as client:
        return client.claim_pairing_code(code)


class FindServerBox(QWidget):
    """Found servers, the address, and (``with_code``) the pairing code and its button."""

    paired = Signal(str, object)  # server address, PairingClaimOut
    browsed = Signal()  # a search finished (the list is filled)
    chosen = Signal(str)  # a found server was picked: its address

    def __init__(
        self,
        server_url: str = "",
        *,
        with_code: bool = True,
        browse_servers: Browse = browse,
        claim: Claim = claim_with_api,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("find_server")
        self._browse = browse_servers
        self._claim = claim
        self.runner = TaskRunner(self)
        self.servers = QListWidget()
        self.servers.setObjectName("found_servers")
        self.servers.setMinimumHeight(96)
        self.servers.currentItemChanged.connect(self._picked)
        self.search = QPushButton(self.tr("Search again"))
        self.search.setObjectName("search_servers")
        self.search.clicked.connect(self.start_search)
        self.status = plain_label()
        self.status.setObjectName("search_status")
        self.address = QLineEdit(server_url)
        self.address.setObjectName("server_address")
        self.address.setPlaceholderText("http://192.168.1.10:8750")
        self.code = QLineEdit()
        self.code.setObjectName("pairing_code")
        self.code.setPlaceholderText("ABCD-EFGH")
        self.code.setMaxLength(12)
        self.pair = QPushButton(self.tr("Pair this station"))
        self.pair.setObjectName("pair")
        self.pair.clicked.connect(self.claim)
        self.error = plain_label()
        self.error.setObjectName("pairing_error")
        self.error.setStyleSheet("color:#b71c1c;font-weight:bold;")
        self.error.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(plain_label(self.tr("Servers found on this network")), 1)
        top.addWidget(self.search)
        form = QFormLayout()
        if with_code:
            form.addRow(self.tr("Server address"), self.address)
            form.addRow(self.tr("Pairing code"), self.code)
        else:
            self.address.hide()  # the owner's own address field is used (chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.servers)
        layout.addWidget(self.status)
        layout.addLayout(form)
        if with_code:
            hint = plain_label(
                self.tr(
                    "A supervisor makes the code: supervisor window, Devices, "
                    "Add a station. It works once, for 10 minutes."
                )
            )
            hint.setWordWrap(True)
            layout.addWidget(hint)
            layout.addWidget(self.pair, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.error)

    # --- finding servers ---

    def start_search(self) -> None:
        self.search.setEnabled(False)
        self.status.setText(self.tr("Searching the network…"))
        self.runner.run(self._browse, self.show_found, self._search_failed)

    def show_found(self, found: list[FoundServer]) -> None:
        self.servers.clear()
        for server in found:
            item = QListWidgetItem(server.label)
            item.setData(Qt.ItemDataRole.UserRole, server)
            self.servers.addItem(item)
        self.status.setText(
            self.tr("{n} server(s) found.").format(n=len(found))
            if found
            else self.tr("No server found: type its address below.")
        )
        self.search.setEnabled(True)
        if len(found) == 1:
            self.servers.setCurrentRow(0)
        self.browsed.emit()

    def _search_failed(self, exc: Exception) -> None:
        self.show_found([])
        self.error.setText(describe(exc))

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        server = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(server, FoundServer):
            self.address.setText(server.url)
            self.chosen.emit(server.url)

    # --- pairing ---

    def claim(self) -> None:
        address = self.address.text().strip()
        code = self.code.text().strip()
        if not address or not code:
            self.error.setText(self.tr("Pick or type the server, then type the pairing code."))
            return
        self.error.setText("")
        self.pair.setEnabled(False)
        self.runner.run(lambda: self._claim(address, code), self._claimed, self._failed)

    def _claimed(self, answer: PairingClaimOut) -> None:
        self.pair.setEnabled(True)
        self.status.setText(
            self.tr("Paired as {name} ({branch}).").format(
                name=answer.device_name, branch=answer.branch_name
            )
        )
        self.paired.emit(self.address.text().strip(), answer)

    def _failed(self, exc: Exception) -> None:
        self.pair.setEnabled(True)
        self.error.setText(describe(exc))
