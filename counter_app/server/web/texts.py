"""Indonesian wording of the pages: error codes, states, dates and times."""

from __future__ import annotations

from counter_app.core import calendar_id
from counter_app.core.error_codes import ERRORS, ErrorCode
from counter_app.core.errors import AppError
from counter_app.core.estimates import range_minutes

NIK_REASONS = {
    "length": ERRORS[ErrorCode.BAD_NIK].text_id,
    "region": "Kode wilayah pada NIK tidak dikenal. Periksa kembali NIK Anda.",
    "birth_date": "Bagian tanggal lahir pada NIK tidak valid. Periksa kembali NIK Anda.",
    "serial": "Empat angka terakhir NIK tidak valid. Periksa kembali NIK Anda.",
}

# Every code's Indonesian text, from the one table of codes.
MESSAGES: dict[ErrorCode, str] = {code: spec.text_id for code, spec in ERRORS.items()}
FALLBACK = ERRORS[ErrorCode.HTTP_ERROR].text_id

TICKET_STATES = {
    "waiting": "Menunggu",
    "called": "Dipanggil",
    "serving": "Sedang dilayani",
    "done": "Selesai",
    "no_show": "Tidak hadir",
    "transferred": "Dialihkan",
    "cancelled": "Dibatalkan",
    "expired": "Kedaluwarsa",
}
BOOKING_STATES = {
    "booked": "Terpesan",
    "checked_in": "Sudah check-in",
    "cancelled": "Dibatalkan",
    "no_show": "Tidak hadir (kedaluwarsa)",
}


def message_for(error: AppError) -> str:
    if error.code is ErrorCode.SURVEY_INCOMPLETE:
        return (
            f"{MESSAGES[ErrorCode.SURVEY_INCOMPLETE]} Belum dijawab: pertanyaan "
            f"nomor {error.details.get('numbers', '')}."
        )
    if error.code is ErrorCode.BAD_NIK:
        return NIK_REASONS.get(str(error.details.get("reason")), NIK_REASONS["length"])
    return MESSAGES.get(error.code, FALLBACK)


# The pages' dates and times (the templates call them as ``texts.…``).
long_date = calendar_id.long_date
short_date = calendar_id.short_date
local_date = calendar_id.local_date
clock = calendar_id.clock


def zone_name(zone: str) -> str:
    """``WIB``, ``WITA``, ``WIT``; any other zone by its name."""
    return calendar_id.zone_abbreviation(zone) or zone


def minutes_range(
    seconds: int | None, low_seconds: int | None, high_seconds: int | None
) -> str | None:
    """``sekitar 15–25 menit`` from the estimate's range; ``± 20 menit`` without one."""
    if low_seconds is None or high_seconds is None:
        return minutes(seconds)
    low, high = range_minutes(low_seconds, high_seconds)
    return f"sekitar {low}–{high} menit"


def minutes(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    whole = max(1, round(seconds / 60))
    return f"± {whole} menit"
