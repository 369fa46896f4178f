"""The mode band across a window, so nobody mistakes a pretend queue for real citizens:

- "SIMULASI" when the server runs on a simulation clock (docs/SIMULATOR.md);
- "MODE LATIHAN" when the branch, or the counter shown, is in training (docs/TRAINING.md).

One widget with two texts, shown on the counter window, the TV, the kiosk and the supervisor
board; each window styles it in its own palette.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from counter_app.client.board import BranchBoard
from counter_app.views.plain import plain_label

BAND_STYLE = (
    "background: #b45309; color: white; font-weight: bold; letter-spacing: 2px;"
    " padding: 4px; font-size: 16px;"
)


def _text(simulation: bool, training: bool) -> str:
    parts = []
    if simulation:
        parts.append(QCoreApplication.translate("ModeBand", "SIMULATION — not real tickets"))
    if training:
        parts.append(QCoreApplication.translate("ModeBand", "TRAINING MODE — not real tickets"))
    return " · ".join(parts)


def mode_band(parent: QWidget | None = None) -> QLabel:
    """Hidden until ``show_mode`` says the window shows a simulation or training."""
    band = plain_label(_text(True, False), parent)
    band.setObjectName("modeBand")
    band.setAlignment(Qt.AlignmentFlag.AlignCenter)
    band.setStyleSheet(BAND_STYLE)
    band.setVisible(False)
    return band


def show_mode(band: QLabel, *, simulation: bool, training: bool) -> None:
    if simulation or training:
        band.setText(_text(simulation, training))
    band.setVisible(simulation or training)


def board_trains(board: BranchBoard, counter_id: int | None = None) -> bool:
    """Training shows on a window: the branch trains, or the counter shown does (a window
    showing every counter, ``counter_id`` None: any counter does)."""
    if board.branch.training:
        return True
    if counter_id is not None:
        counter = board.counters.get(counter_id)
        return bool(counter and counter.training)
    return any(c.training for c in board.counters.values())


def show_board_mode(band: QLabel, board: BranchBoard, counter_id: int | None = None) -> None:
    show_mode(band, simulation=board.simulation, training=board_trains(board, counter_id))


# The names the windows used before training had a band of its own.
simulation_band = mode_band


def show_simulation(band: QLabel, simulation: bool) -> None:
    show_mode(band, simulation=simulation, training=False)
