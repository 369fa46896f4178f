"""The officer's actions by name, in the app's language: one wording for buttons and settings."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from counter_app.views.counter.controller import Action

translate = QCoreApplication.translate  # by this name, so that pyside6-lupdate finds the texts


def action_label(action: Action) -> str:
    labels = {
        Action.CALL_NEXT: translate("Actions", "Call next"),
        Action.RECALL: translate("Actions", "Recall"),
        Action.START: translate("Actions", "Start serving"),
        Action.FINISH: translate("Actions", "Finish"),
        Action.SKIP: translate("Actions", "Skip / no-show"),
        Action.TRANSFER: translate("Actions", "Transfer"),
        Action.RETURN: translate("Actions", "Return to queue"),
        Action.CALL_NUMBER: translate("Actions", "Call a number…"),
        Action.OPEN: translate("Actions", "Open"),
        Action.BREAK: translate("Actions", "Break"),
        Action.CLOSE: translate("Actions", "Close counter"),
    }
    return labels[action]
