"""Indonesian wording of the pages: error codes, states, dates and times."""

from __future__ import annotations

from counter_app.core import calendar_id
from counter_app.core.errors import AppError

NIK_REASONS = {
    "length": "NIK harus 16 angka.",
    "region": "Kode wilayah pada NIK tidak dikenal. Periksa kembali NIK Anda.",
    "birth_date": "Bagian tanggal lahir pada NIK tidak valid. Periksa kembali NIK Anda.",
    "serial": "Empat angka terakhir NIK tidak valid. Periksa kembali NIK Anda.",
}

MESSAGES = {
    "bad_name": "Nama hanya boleh berisi huruf, spasi, dan tanda . , ' - (2–100 karakter).",
    "bad_phone": "Nomor HP harus nomor seluler Indonesia, misalnya 0812 3456 7890.",
    "bad_slot": "Jam yang dipilih tidak tersedia. Silakan pilih jam lain.",
    "booking_outside_window": "Tanggal tersebut di luar masa pemesanan.",
    "booking_holiday": "Kantor tutup pada hari libur tersebut.",
    "booking_day_closed": "Kantor tidak buka pada hari tersebut.",
    "slot_started": "Jam tersebut sudah lewat. Silakan pilih jam berikutnya.",
    "slot_full": "Kuota jam tersebut sudah penuh. Silakan pilih jam lain.",
    "booking_exists": "NIK ini sudah memiliki pemesanan untuk layanan ini pada hari yang sama.",
    "booking_not_found": "Kode pemesanan tidak ditemukan.",
    "booking_cancelled": "Pemesanan ini sudah dibatalkan.",
    "booking_already_checked_in": "Pemesanan ini sudah check-in dan tidak dapat dibatalkan.",
    "booking_too_late": "Waktu check-in pemesanan ini sudah lewat.",
    "not_your_booking": "NIK tidak cocok dengan pemesanan ini.",
    "service_not_found": "Layanan tidak ditemukan atau tidak menerima pemesanan online.",
    "branch_not_found": "Kantor tidak ditemukan.",
    "ticket_not_found": "Nomor antrean tidak ditemukan.",
    "rate_limited": "Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.",
    "csrf": "Sesi formulir sudah habis. Muat ulang halaman lalu coba lagi.",
    "nik_required": "Masukkan NIK yang dipakai saat memesan.",
    "conflict": "Terjadi perubahan bersamaan. Silakan coba lagi.",
    "ticket_not_done": "Survei dapat diisi setelah layanan untuk nomor antrean ini selesai.",
}
FALLBACK = "Permintaan tidak dapat diproses. Silakan coba lagi."

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
    if error.code == "survey_incomplete":
        return (
            "Mohon pilih satu jawaban untuk setiap pertanyaan. Belum dijawab: pertanyaan "
            f"nomor {error.details.get('numbers', '')}."
        )
    if error.code == "bad_nik":
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


def minutes(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    whole = max(1, round(seconds / 60))
    return f"± {whole} menit"
