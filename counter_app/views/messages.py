"""What a person reads when something goes wrong: server error codes in their language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from counter_app.client.errors import ApiError, ClientError


def _tr(text: str) -> str:
    return QCoreApplication.translate("Messages", text)


def describe(exc: Exception) -> str:
    """A short sentence for the officer; never a traceback."""
    if isinstance(exc, ApiError):
        known = {
            "bad_credentials": _tr("Wrong username or password."),
            "bad_token": _tr("Your session has ended; please log in again."),
            "not_authenticated": _tr("Please log in first."),
            "counter_busy": _tr("Finish, skip or return the current ticket first."),
            "counter_not_open": _tr("Open the counter first."),
            "counter_taken": _tr("This counter is already open by another officer."),
            "officer_has_counter": _tr("You already have another counter open."),
            "counter_not_assigned": _tr("You are not assigned to this counter."),
            "not_your_counter": _tr("This counter is not open under your name."),
            "not_your_ticket": _tr("That ticket is not at your counter."),
            "invalid_transition": _tr("That is not possible for this ticket any more."),
            "ticket_number_unknown": _tr("There is no ticket with that number today."),
            "bad_ticket_number": _tr("Type a ticket number such as A-007."),
            "ticket_for_other_counter": _tr("That ticket was transferred to another counter."),
            "same_counter": _tr("The ticket is already at that counter."),
            "service_closed": _tr("That service is not taking tickets."),
            "quota_full": _tr("Today's quota for this service is used up."),
            "forbidden": _tr("You are not allowed to do this."),
            "rate_limited": _tr("Too many requests; wait a moment."),
            "database_unavailable": _tr("The server cannot reach its database; try again shortly."),
        }
        return known.get(exc.code, _tr("The server refused: {message}").format(message=exc.message))
    if isinstance(exc, ClientError):
        return _tr("Cannot reach the server. Check the network; the app keeps trying.")
    return _tr("Unexpected error: {error}").format(error=type(exc).__name__)
