"""The "SIMULASI" band: shown across a window whose server runs on a simulation clock, so
nobody mistakes a simulated office day (docs/SIMULATOR.md) for real citizens."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from counter_app.views.plain import plain_label

BAND_STYLE = (
    "background: #b45309; color: white; font-weight: bold; letter-spacing: 2px;"
    " padding: 4px; font-size: 16px;"
)


def simulation_band(parent: QWidget | None = None) -> QLabel:
    """Hidden until ``show_simulation(band, True)``."""
    band = plain_label(
        QCoreApplication.translate("SimulationBand", "SIMULATION — not real tickets"), parent
    )
    band.setObjectName("simulationBand")
    band.setAlignment(Qt.AlignmentFlag.AlignCenter)
    band.setStyleSheet(BAND_STYLE)
    band.setVisible(False)
    return band


def show_simulation(band: QLabel, simulation: bool) -> None:
    band.setVisible(simulation)
