"""What a person reads when something goes wrong: server error codes in their language.

The texts are those of the one table of codes (``ERRORS[code].text_en`` in
core/error_codes.py), written out here as literals so that pyside6-lupdate finds them; their
Indonesian is in resources/translations. tests/gui/test_error_texts.py checks that this table
names every code with exactly the table's text, and that the catalogue translates each to
``text_id``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from counter_app.client.errors import ApiError, CertificateChanged, ClientError
from counter_app.core.error_codes import ErrorCode, parse_code
from counter_app.core.errors import AppError

# Called by this name so that pyside6-lupdate finds every message (a wrapper would hide them).
translate = QCoreApplication.translate


def window_texts() -> dict[ErrorCode, str]:
    """Every code's text in the window's language (built on each call: the language may
    have been set after import)."""
    return {
        ErrorCode.BAD_REQUEST: translate("Messages", "The request could not be read."),
        ErrorCode.HTTP_ERROR: translate("Messages", "The request could not be handled; try again."),
        ErrorCode.METHOD_NOT_ALLOWED: translate(
            "Messages", "This address does not accept that method."
        ),
        ErrorCode.UNSUPPORTED_MEDIA_TYPE: translate(
            "Messages", "Send JSON (Content-Type: application/json)."
        ),
        ErrorCode.BAD_AUTHORIZATION: translate(
            "Messages", "The sign-in header could not be read; please log in again."
        ),
        ErrorCode.BAD_CREDENTIALS: translate("Messages", "Wrong username or password."),
        ErrorCode.BAD_TOKEN: translate("Messages", "Your session has ended; please log in again."),
        ErrorCode.NOT_AUTHENTICATED: translate("Messages", "Please log in first."),
        ErrorCode.COUNTER_NOT_ASSIGNED: translate(
            "Messages", "You are not assigned to this counter."
        ),
        ErrorCode.CSRF: translate(
            "Messages", "The form has expired. Reload the page and try again."
        ),
        ErrorCode.FORBIDDEN: translate("Messages", "You are not allowed to do this."),
        ErrorCode.NO_BRANCH: translate(
            "Messages", "This account belongs to no branch; sign in as a counter officer."
        ),
        ErrorCode.NOT_A_KIOSK: translate(
            "Messages", "This device token does not belong to a kiosk."
        ),
        ErrorCode.NOT_A_SUPERVISOR: translate(
            "Messages", "This window is for supervisors; sign in with a supervisor account."
        ),
        ErrorCode.NOT_YOUR_BOOKING: translate("Messages", "The NIK does not match this booking."),
        ErrorCode.NOT_YOUR_COUNTER: translate(
            "Messages", "This counter is not open under your name."
        ),
        ErrorCode.NOT_YOUR_TICKET: translate("Messages", "That ticket is not at your counter."),
        ErrorCode.REPORTS_FORBIDDEN: translate(
            "Messages", "Only a supervisor or an admin may see the reports."
        ),
        ErrorCode.WRONG_BRANCH: translate(
            "Messages", "This belongs to another branch; you can only act within your own."
        ),
        ErrorCode.BOOKING_NOT_FOUND: translate(
            "Messages", "This booking code is not known. Check the code and try again."
        ),
        ErrorCode.BRANCH_NOT_FOUND: translate("Messages", "That branch does not exist."),
        ErrorCode.COUNTER_NOT_FOUND: translate("Messages", "That counter is not one of yours."),
        ErrorCode.HOLIDAY_NOT_FOUND: translate(
            "Messages", "That day is not a holiday of this branch."
        ),
        ErrorCode.NOT_FOUND: translate("Messages", "There is nothing at this address."),
        ErrorCode.DEVICE_NOT_FOUND: translate("Messages", "That device is not registered."),
        ErrorCode.PAIRING_CODE_UNKNOWN: translate(
            "Messages", "This pairing code is wrong, used or expired. Ask for a new code."
        ),
        ErrorCode.PRIORITY_CLASS_NOT_FOUND: translate(
            "Messages", "That priority class does not exist."
        ),
        ErrorCode.SERVICE_NOT_FOUND: translate(
            "Messages", "That service does not exist or takes no online bookings."
        ),
        ErrorCode.TICKET_NOT_FOUND: translate("Messages", "That ticket does not exist."),
        ErrorCode.BOOKING_ALREADY_CHECKED_IN: translate(
            "Messages", "This booking has already been checked in."
        ),
        ErrorCode.BOOKING_CANCELLED: translate("Messages", "This booking was cancelled."),
        ErrorCode.BOOKING_DAY_CLOSED: translate("Messages", "The office is closed on that day."),
        ErrorCode.BOOKING_EXISTS: translate(
            "Messages", "This NIK already has a booking for this service on that day."
        ),
        ErrorCode.BOOKING_HOLIDAY: translate("Messages", "The office is closed on that holiday."),
        ErrorCode.BOOKING_OUTSIDE_WINDOW: translate(
            "Messages", "That date is outside the booking period."
        ),
        ErrorCode.BOOKING_TOO_EARLY: translate(
            "Messages",
            "It is too early to check in for this booking. Please come back closer to "
            "your booked time.",
        ),
        ErrorCode.BOOKING_TOO_LATE: translate(
            "Messages", "The time for this booking has passed. Please take a regular number."
        ),
        ErrorCode.BRANCH_CODE_TAKEN: translate(
            "Messages", "A branch with that code already exists."
        ),
        ErrorCode.CONFLICT: translate(
            "Messages", "This clashed with a change made at the same time; try again."
        ),
        ErrorCode.COUNTER_BUSY: translate(
            "Messages", "Finish, skip or return the current ticket first."
        ),
        ErrorCode.CLOCK_BACKWARDS: translate(
            "Messages", "The simulation clock only moves forward."
        ),
        ErrorCode.COUNTER_NOT_OPEN: translate("Messages", "Open the counter first."),
        ErrorCode.COUNTER_NUMBER_TAKEN: translate(
            "Messages", "A counter with that number already exists here."
        ),
        ErrorCode.COUNTER_TAKEN: translate(
            "Messages", "This counter is already open by another officer."
        ),
        ErrorCode.HOLIDAY_EXISTS: translate(
            "Messages", "That day is already a holiday of this branch."
        ),
        ErrorCode.NO_SHOW_RECALL_EXPIRED: translate(
            "Messages",
            "This ticket was skipped too long ago to be called back; "
            "the citizen needs a new number.",
        ),
        ErrorCode.INVALID_TRANSITION: translate(
            "Messages", "That is not possible for this ticket any more."
        ),
        ErrorCode.OFFICER_HAS_COUNTER: translate(
            "Messages", "You already have another counter open."
        ),
        ErrorCode.PREFIX_TAKEN: translate(
            "Messages", "That prefix is already used by another service of this branch."
        ),
        ErrorCode.PRIORITY_CLASS_TAKEN: translate(
            "Messages", "A priority class with that code already exists."
        ),
        ErrorCode.QUOTA_FULL: translate("Messages", "Today's quota for this service is used up."),
        ErrorCode.RESUME_POINT_AHEAD: translate(
            "Messages", "The server's data was replaced; reload the view."
        ),
        ErrorCode.SAME_COUNTER: translate("Messages", "The ticket is already at that counter."),
        ErrorCode.SERVICE_CLOSED: translate("Messages", "That service is not taking tickets."),
        ErrorCode.SLOT_FULL: translate(
            "Messages", "That slot is fully booked; choose another one."
        ),
        ErrorCode.SLOT_STARTED: translate(
            "Messages", "That slot has already started; choose a later one."
        ),
        ErrorCode.SURVEY_ALREADY_ANSWERED: translate(
            "Messages", "The survey for this ticket has already been answered. Thank you."
        ),
        ErrorCode.TICKET_FOR_OTHER_COUNTER: translate(
            "Messages", "That ticket was transferred to another counter."
        ),
        ErrorCode.TICKET_FROM_PAST_DAY: translate(
            "Messages", "That ticket is from an earlier day; only today's tickets can be called."
        ),
        ErrorCode.UNDO_SKIP_EXPIRED: translate(
            "Messages", "The time to undo the skip has passed; call the number back instead."
        ),
        ErrorCode.TICKET_NOT_DONE: translate(
            "Messages", "The survey opens once the service for this ticket is done."
        ),
        ErrorCode.TICKET_NUMBER_UNKNOWN: translate(
            "Messages", "There is no ticket with that number today."
        ),
        ErrorCode.HUB_GAP: translate(
            "Messages",
            "The hub lacks earlier journal events; send again from the sequence it asks for.",
        ),
        ErrorCode.HUB_HISTORY_CONFLICT: translate(
            "Messages",
            "This branch's journal differs from the one the hub holds (restored from an older "
            "backup?); nothing was merged.",
        ),
        ErrorCode.USERNAME_TAKEN: translate("Messages", "That username is taken."),
        ErrorCode.BODY_TOO_LARGE: translate("Messages", "The request body is too large."),
        ErrorCode.BAD_IDEMPOTENCY_KEY: translate(
            "Messages", "The Idempotency-Key is not valid (1 to 100 printable ASCII characters)."
        ),
        ErrorCode.BAD_LAST_EVENT_ID: translate(
            "Messages", "The last event number is not valid; reload the view."
        ),
        ErrorCode.BAD_NAME: translate(
            "Messages", "A name holds only letters, spaces and . , ' - (2 to 100 characters)."
        ),
        ErrorCode.BAD_NIK: translate("Messages", "A NIK is 16 digits."),
        ErrorCode.BAD_PHONE: translate(
            "Messages",
            "The phone number must be an Indonesian mobile number, such as 0812 3456 7890.",
        ),
        ErrorCode.BAD_PREFIX: translate(
            "Messages", "A service prefix is 1 to 3 capital letters, such as A."
        ),
        ErrorCode.BAD_RANGE: translate("Messages", "The period ends before it starts."),
        ErrorCode.BAD_SLOT: translate(
            "Messages", "The chosen slot is not available; choose another one."
        ),
        ErrorCode.BAD_SOURCE: translate("Messages", "Online tickets come from a booking check-in."),
        ErrorCode.BAD_SURVEY_ANSWERS: translate(
            "Messages", "Each survey question is answered with a number from 1 to 4."
        ),
        ErrorCode.BAD_TICKET_NUMBER: translate("Messages", "Type a ticket number such as A-007."),
        ErrorCode.BAD_TIMEZONE: translate(
            "Messages", "The time zone must be one of Indonesia's three."
        ),
        ErrorCode.BRANCH_REQUIRED: translate("Messages", "Give the branch this user belongs to."),
        ErrorCode.COUNTER_NOT_IN_BRANCH: translate(
            "Messages", "That counter is in another branch."
        ),
        ErrorCode.DUPLICATE_SERVICE: translate(
            "Messages", "A service is listed twice for this counter."
        ),
        ErrorCode.IDEMPOTENCY_KEY_REUSED: translate(
            "Messages", "This Idempotency-Key was already used for another request."
        ),
        ErrorCode.HUB_NOT_CONSECUTIVE: translate(
            "Messages", "The journal events sent are not consecutive."
        ),
        ErrorCode.INVALID_INPUT: translate("Messages", "Some of the input is not valid."),
        ErrorCode.MALFORMED_JSON: translate("Messages", "The request body is not valid JSON."),
        ErrorCode.NIK_REQUIRED: translate("Messages", "Give the NIK used for the booking."),
        ErrorCode.PASSWORD_MISSING: translate(
            "Messages", "A user's password is missing from the set-up."
        ),
        ErrorCode.RANGE_TOO_LONG: translate("Messages", "A report covers at most 366 days."),
        ErrorCode.SURVEY_INCOMPLETE: translate(
            "Messages", "Please choose one answer for every question."
        ),
        ErrorCode.UNKNOWN_COUNTER: translate(
            "Messages", "The set-up names a counter that does not exist."
        ),
        ErrorCode.UNKNOWN_PREFIX: translate(
            "Messages", "The set-up names a service that does not exist."
        ),
        ErrorCode.OLD_PASSWORD_WRONG: translate("Messages", "The current password is wrong."),
        ErrorCode.USER_NOT_FOUND: translate("Messages", "There is no such user."),
        ErrorCode.CANNOT_DISABLE_SELF: translate(
            "Messages", "You cannot disable your own account."
        ),
        ErrorCode.LOGIN_THROTTLED: translate(
            "Messages", "Too many failed logins; wait before trying again."
        ),
        ErrorCode.LOGIN_BUSY: translate(
            "Messages", "Too many logins at once; try again in a moment."
        ),
        ErrorCode.RATE_LIMITED: translate("Messages", "Too many requests; wait a moment."),
        ErrorCode.INTERNAL_ERROR: translate(
            "Messages", "Something went wrong on the server; it has been logged."
        ),
        ErrorCode.DATABASE_UNAVAILABLE: translate(
            "Messages", "The server cannot reach its database; try again shortly."
        ),
        ErrorCode.NO_CODE: translate("Messages", "No free booking code right now; try again."),
        ErrorCode.BOOKING_LIMIT: translate(
            "Messages", "This NIK already has as many active bookings as allowed; cancel one first."
        ),
        ErrorCode.ADDRESS_BOOKING_LIMIT: translate(
            "Messages", "Too many bookings from this network today; try again tomorrow."
        ),
        ErrorCode.TOO_MANY_STREAMS: translate(
            "Messages", "Too many live status streams from this address; close some and try again."
        ),
        ErrorCode.STREAMS_FULL: translate(
            "Messages", "The server is serving too many live status streams; try again later."
        ),
        ErrorCode.TRAINING_MODE_MISMATCH: translate(
            "Messages",
            "A training counter calls training tickets only, and a real counter real tickets only.",
        ),
        ErrorCode.TRAINING_REAL_TICKET_OPEN: translate(
            "Messages",
            "A real ticket is still called or being served; finish it before training starts.",
        ),
    }


def describe(exc: Exception) -> str:
    """A short sentence for the officer; never a traceback."""
    if isinstance(exc, ApiError | AppError):
        code = parse_code(exc.code)
        if isinstance(code, ErrorCode):
            return window_texts()[code]
        return translate("Messages", "The server refused: {message}").format(message=exc.message)
    if isinstance(exc, CertificateChanged):
        return translate(
            "Messages",
            "Warning: the server at {address} shows a different security certificate than "
            "before. Someone may be intercepting the connection; nothing was sent. Tell the "
            "administrator (new fingerprint: {fingerprint}).",
        ).format(address=exc.address, fingerprint=exc.presented)
    if isinstance(exc, ClientError):
        return translate(
            "Messages", "Cannot reach the server. Check the network; the app keeps trying."
        )
    return translate("Messages", "Unexpected error: {error}").format(error=type(exc).__name__)
