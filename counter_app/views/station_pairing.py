"""The set-up dialog of a TV or survey screen that has no device token yet: find the server,
type the pairing code, and the station has its own token (views/find_server.py)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from counter_app.client.discovery import browse
from counter_app.schemas.devices import PairingClaimOut
from counter_app.views.find_server import Browse, Claim, FindServerBox, claim_with_api
from counter_app.views.plain import plain_label


class StationPairingDialog(QDialog):
    """``server_url`` and ``claim`` (the answer) are set once the station is paired."""

    def __init__(
        self,
        title: str,
        server_url: str = "",
        *,
        browse_servers: Browse = browse,
        claim: Claim = claim_with_api,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("station_pairing")
        self.setWindowTitle(title)
        self.server_url = ""
        self.answer: PairingClaimOut | None = None
        self.finder = FindServerBox(server_url, browse_servers=browse_servers, claim=claim)
        self.finder.paired.connect(self._paired)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        # Qt ships no Indonesian for its own buttons (views.counter.dialogs.ok_cancel).
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            QCoreApplication.translate("Dialogs", "Cancel")
        )
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(self.tr("This screen is not paired with a server yet.")))
        layout.addWidget(self.finder)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.finder.servers.count() == 0 and self.finder.search.isEnabled():
            self.finder.start_search()

    def _paired(self, server_url: str, answer: PairingClaimOut) -> None:
        self.server_url, self.answer = server_url, answer
        self.accept()


def pair_station(title: str, server_url: str) -> tuple[str, str] | None:
    """Show the dialog (blocking); the server address and the new device token, or ``None``
    if it was cancelled."""
    dialog = StationPairingDialog(title, server_url)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.answer is None:
        return None
    return dialog.server_url, dialog.answer.token
