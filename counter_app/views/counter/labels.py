"""The officer's actions by name, in the app's language: one wording for buttons and settings."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from counter_app.views.counter.controller import CounterCommand

translate = QCoreApplication.translate  # by this name, so that pyside6-lupdate finds the texts


def action_label(action: CounterCommand) -> str:
    labels = {
        CounterCommand.CALL_NEXT: translate("Actions", "Call next"),
        CounterCommand.RECALL: translate("Actions", "Recall"),
        CounterCommand.START: translate("Actions", "Start serving"),
        CounterCommand.FINISH: translate("Actions", "Finish"),
        CounterCommand.SKIP: translate("Actions", "Skip / no-show"),
        CounterCommand.TRANSFER: translate("Actions", "Transfer"),
        CounterCommand.RETURN: translate("Actions", "Return to queue"),
        CounterCommand.CALL_NUMBER: translate("Actions", "Call a number…"),
        CounterCommand.UNDO_SKIP: translate("Actions", "Undo"),
        CounterCommand.OPEN: translate("Actions", "Open"),
        CounterCommand.BREAK: translate("Actions", "Break"),
        CounterCommand.CLOSE: translate("Actions", "Close counter"),
    }
    return labels[action]
