"""What a person reads when something goes wrong: server error codes in their language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from counter_app.client.errors import ApiError, ClientError
from counter_app.core.errors import AppError

# Called by this name so that pyside6-lupdate finds every message (a wrapper would hide them).
translate = QCoreApplication.translate


def describe(exc: Exception) -> str:
    """A short sentence for the officer; never a traceback."""
    if isinstance(exc, ApiError | AppError):
        known = {
            "bad_credentials": translate("Messages", "Wrong username or password."),
            "bad_token": translate("Messages", "Your session has ended; please log in again."),
            "not_authenticated": translate("Messages", "Please log in first."),
            "counter_busy": translate(
                "Messages", "Finish, skip or return the current ticket first."
            ),
            "counter_not_open": translate("Messages", "Open the counter first."),
            "counter_taken": translate(
                "Messages", "This counter is already open by another officer."
            ),
            "officer_has_counter": translate("Messages", "You already have another counter open."),
            "counter_not_assigned": translate("Messages", "You are not assigned to this counter."),
            "not_your_counter": translate("Messages", "This counter is not open under your name."),
            "not_your_ticket": translate("Messages", "That ticket is not at your counter."),
            "invalid_transition": translate(
                "Messages", "That is not possible for this ticket any more."
            ),
            "ticket_number_unknown": translate(
                "Messages", "There is no ticket with that number today."
            ),
            "bad_ticket_number": translate("Messages", "Type a ticket number such as A-007."),
            "ticket_for_other_counter": translate(
                "Messages", "That ticket was transferred to another counter."
            ),
            "same_counter": translate("Messages", "The ticket is already at that counter."),
            "service_closed": translate("Messages", "That service is not taking tickets."),
            "quota_full": translate("Messages", "Today's quota for this service is used up."),
            "forbidden": translate("Messages", "You are not allowed to do this."),
            "rate_limited": translate("Messages", "Too many requests; wait a moment."),
            "database_unavailable": translate(
                "Messages", "The server cannot reach its database; try again shortly."
            ),
            "no_branch": translate(
                "Messages", "This account belongs to no branch; sign in as a counter officer."
            ),
            "counter_not_found": translate("Messages", "That counter is not one of yours."),
            "booking_not_found": translate(
                "Messages", "This booking code is not known. Check the code and try again."
            ),
            "booking_too_early": translate(
                "Messages",
                "It is too early to check in for this booking. Please come back closer to "
                "your booked time.",
            ),
            "booking_too_late": translate(
                "Messages",
                "The time for this booking has passed. Please take a regular number.",
            ),
            "booking_cancelled": translate("Messages", "This booking was cancelled."),
            "booking_already_checked_in": translate(
                "Messages", "This booking has already been checked in."
            ),
            "not_a_kiosk": translate("Messages", "This device token does not belong to a kiosk."),
            "not_a_supervisor": translate(
                "Messages", "This window is for supervisors; sign in with a supervisor account."
            ),
            "reports_forbidden": translate(
                "Messages", "Only a supervisor or an admin may see the reports."
            ),
        }
        return known.get(
            exc.code,
            translate("Messages", "The server refused: {message}").format(message=exc.message),
        )
    if isinstance(exc, ClientError):
        return translate(
            "Messages", "Cannot reach the server. Check the network; the app keeps trying."
        )
    return translate("Messages", "Unexpected error: {error}").format(error=type(exc).__name__)
