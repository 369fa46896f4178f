"""Every error code the system uses, with its HTTP status and its words in both languages.

The code is the stable part of an error: clients branch on it, the windows and the web pages
show its text, docs/API.md lists it (generated from :data:`ERRORS` by
``scripts/api_error_table.py``). A raise site names an :class:`ErrorCode` and may add a more
specific English ``message`` (operators and logs read it); people read ``text_id`` (the web
pages, the windows in Indonesian) or ``text_en`` (the windows in English).

``text_en`` is also the English source text of the windows' Qt translation (context
``Messages`` in resources/translations), whose Indonesian is ``text_id``: a test keeps them
in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from http import HTTPStatus


class ErrorCode(StrEnum):
    # 400 and 405 and 415: the request itself could not be taken (framework errors)
    BAD_REQUEST = "bad_request"
    HTTP_ERROR = "http_error"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    # 401
    BAD_AUTHORIZATION = "bad_authorization"
    BAD_CREDENTIALS = "bad_credentials"
    BAD_TOKEN = "bad_token"
    NOT_AUTHENTICATED = "not_authenticated"
    # 403
    COUNTER_NOT_ASSIGNED = "counter_not_assigned"
    CSRF = "csrf"
    FORBIDDEN = "forbidden"
    NO_BRANCH = "no_branch"
    NOT_A_KIOSK = "not_a_kiosk"
    NOT_A_SUPERVISOR = "not_a_supervisor"
    NOT_YOUR_BOOKING = "not_your_booking"
    NOT_YOUR_COUNTER = "not_your_counter"
    NOT_YOUR_TICKET = "not_your_ticket"
    OLD_PASSWORD_WRONG = "old_password_wrong"
    REPORTS_FORBIDDEN = "reports_forbidden"
    WRONG_BRANCH = "wrong_branch"
    # 404
    BOOKING_NOT_FOUND = "booking_not_found"
    BRANCH_NOT_FOUND = "branch_not_found"
    COUNTER_NOT_FOUND = "counter_not_found"
    DEVICE_NOT_FOUND = "device_not_found"
    HOLIDAY_NOT_FOUND = "holiday_not_found"
    NOT_FOUND = "not_found"
    PAIRING_CODE_UNKNOWN = "pairing_code_unknown"
    PRIORITY_CLASS_NOT_FOUND = "priority_class_not_found"
    SERVICE_NOT_FOUND = "service_not_found"
    TICKET_NOT_FOUND = "ticket_not_found"
    USER_NOT_FOUND = "user_not_found"
    # 409
    BOOKING_ALREADY_CHECKED_IN = "booking_already_checked_in"
    BOOKING_CANCELLED = "booking_cancelled"
    BOOKING_DAY_CLOSED = "booking_day_closed"
    BOOKING_EXISTS = "booking_exists"
    BOOKING_LIMIT = "booking_limit"
    BOOKING_HOLIDAY = "booking_holiday"
    BOOKING_OUTSIDE_WINDOW = "booking_outside_window"
    BOOKING_TOO_EARLY = "booking_too_early"
    BOOKING_TOO_LATE = "booking_too_late"
    BRANCH_CODE_TAKEN = "branch_code_taken"
    CANNOT_DISABLE_SELF = "cannot_disable_self"
    CONFLICT = "conflict"
    COUNTER_BUSY = "counter_busy"
    CLOCK_BACKWARDS = "clock_backwards"
    COUNTER_NOT_OPEN = "counter_not_open"
    COUNTER_NUMBER_TAKEN = "counter_number_taken"
    COUNTER_TAKEN = "counter_taken"
    HOLIDAY_EXISTS = "holiday_exists"
    HUB_GAP = "hub_gap"
    HUB_HISTORY_CONFLICT = "hub_history_conflict"
    NO_SHOW_RECALL_EXPIRED = "no_show_recall_expired"
    INVALID_TRANSITION = "invalid_transition"
    OFFICER_HAS_COUNTER = "officer_has_counter"
    PREFIX_TAKEN = "prefix_taken"
    PRIORITY_CLASS_TAKEN = "priority_class_taken"
    QUOTA_FULL = "quota_full"
    RESUME_POINT_AHEAD = "resume_point_ahead"
    SAME_COUNTER = "same_counter"
    SERVICE_CLOSED = "service_closed"
    SLOT_FULL = "slot_full"
    SLOT_STARTED = "slot_started"
    SURVEY_ALREADY_ANSWERED = "survey_already_answered"
    TICKET_FOR_OTHER_COUNTER = "ticket_for_other_counter"
    TRAINING_MODE_MISMATCH = "training_mode_mismatch"
    TRAINING_REAL_TICKET_OPEN = "training_real_ticket_open"
    TICKET_FROM_PAST_DAY = "ticket_from_past_day"
    TICKET_NOT_DONE = "ticket_not_done"
    TICKET_NUMBER_UNKNOWN = "ticket_number_unknown"
    UNDO_SKIP_EXPIRED = "undo_skip_expired"
    USERNAME_TAKEN = "username_taken"
    # 413
    BODY_TOO_LARGE = "body_too_large"
    # 422
    BAD_IDEMPOTENCY_KEY = "bad_idempotency_key"
    BAD_LAST_EVENT_ID = "bad_last_event_id"
    HUB_NOT_CONSECUTIVE = "hub_not_consecutive"
    BAD_NAME = "bad_name"
    BAD_NIK = "bad_nik"
    BAD_PHONE = "bad_phone"
    BAD_PREFIX = "bad_prefix"
    BAD_RANGE = "bad_range"
    BAD_SLOT = "bad_slot"
    BAD_SOURCE = "bad_source"
    BAD_SURVEY_ANSWERS = "bad_survey_answers"
    BAD_TICKET_NUMBER = "bad_ticket_number"
    BAD_TIMEZONE = "bad_timezone"
    BRANCH_REQUIRED = "branch_required"
    COUNTER_NOT_IN_BRANCH = "counter_not_in_branch"
    DUPLICATE_SERVICE = "duplicate_service"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    INVALID_INPUT = "invalid_input"
    MALFORMED_JSON = "malformed_json"
    NIK_REQUIRED = "nik_required"
    PASSWORD_MISSING = "password_missing"
    RANGE_TOO_LONG = "range_too_long"
    SURVEY_INCOMPLETE = "survey_incomplete"
    UNKNOWN_COUNTER = "unknown_counter"
    UNKNOWN_PREFIX = "unknown_prefix"
    # 429
    LOGIN_THROTTLED = "login_throttled"
    RATE_LIMITED = "rate_limited"
    ADDRESS_BOOKING_LIMIT = "address_booking_limit"
    TOO_MANY_STREAMS = "too_many_streams"
    # 500 and 503
    INTERNAL_ERROR = "internal_error"
    DATABASE_UNAVAILABLE = "database_unavailable"
    LOGIN_BUSY = "login_busy"
    STREAMS_FULL = "streams_full"
    NO_CODE = "no_code"


@dataclass(frozen=True, slots=True)
class ErrorSpec:
    """What a code means: the HTTP status it is sent with, and what a person reads."""

    status: HTTPStatus
    text_id: str
    text_en: str


def _spec(status: int, text_id: str, text_en: str) -> ErrorSpec:
    return ErrorSpec(HTTPStatus(status), text_id, text_en)


E = ErrorCode
ERRORS: dict[ErrorCode, ErrorSpec] = {
    E.BAD_REQUEST: _spec(400, "Permintaan tidak dapat dibaca.", "The request could not be read."),
    E.HTTP_ERROR: _spec(
        400,
        "Permintaan tidak dapat diproses. Silakan coba lagi.",
        "The request could not be handled; try again.",
    ),
    E.METHOD_NOT_ALLOWED: _spec(
        405,
        "Alamat ini tidak menerima cara permintaan tersebut.",
        "This address does not accept that method.",
    ),
    E.UNSUPPORTED_MEDIA_TYPE: _spec(
        415, "Kirim data dalam format JSON.", "Send JSON (Content-Type: application/json)."
    ),
    E.BAD_AUTHORIZATION: _spec(
        401,
        "Tanda masuk tidak dapat dibaca; silakan masuk lagi.",
        "The sign-in header could not be read; please log in again.",
    ),
    E.BAD_CREDENTIALS: _spec(
        401, "Nama pengguna atau kata sandi salah.", "Wrong username or password."
    ),
    E.BAD_TOKEN: _spec(
        401,
        "Sesi Anda telah berakhir; silakan masuk lagi.",
        "Your session has ended; please log in again.",
    ),
    E.NOT_AUTHENTICATED: _spec(401, "Silakan masuk terlebih dahulu.", "Please log in first."),
    E.COUNTER_NOT_ASSIGNED: _spec(
        403, "Anda tidak ditugaskan di loket ini.", "You are not assigned to this counter."
    ),
    E.CSRF: _spec(
        403,
        "Sesi formulir sudah habis. Muat ulang halaman lalu coba lagi.",
        "The form has expired. Reload the page and try again.",
    ),
    E.FORBIDDEN: _spec(
        403, "Anda tidak berwenang melakukan ini.", "You are not allowed to do this."
    ),
    E.NO_BRANCH: _spec(
        403,
        "Akun ini tidak terdaftar di kantor mana pun; masuklah dengan akun petugas loket.",
        "This account belongs to no branch; sign in as a counter officer.",
    ),
    E.NOT_A_KIOSK: _spec(
        403,
        "Token perangkat ini bukan milik kios.",
        "This device token does not belong to a kiosk.",
    ),
    E.NOT_A_SUPERVISOR: _spec(
        403,
        "Jendela ini untuk supervisor; masuk dengan akun supervisor.",
        "This window is for supervisors; sign in with a supervisor account.",
    ),
    E.NOT_YOUR_BOOKING: _spec(
        403,
        "NIK tidak cocok dengan pemesanan ini.",
        "The NIK does not match this booking.",
    ),
    E.NOT_YOUR_COUNTER: _spec(
        403,
        "Loket ini tidak dibuka atas nama Anda.",
        "This counter is not open under your name.",
    ),
    E.NOT_YOUR_TICKET: _spec(
        403, "Nomor itu tidak berada di loket Anda.", "That ticket is not at your counter."
    ),
    E.REPORTS_FORBIDDEN: _spec(
        403,
        "Hanya supervisor atau admin yang dapat melihat laporan.",
        "Only a supervisor or an admin may see the reports.",
    ),
    E.WRONG_BRANCH: _spec(
        403,
        "Ini milik kantor lain; Anda hanya dapat bertindak di kantor Anda sendiri.",
        "This belongs to another branch; you can only act within your own.",
    ),
    E.BOOKING_NOT_FOUND: _spec(
        404,
        "Kode pemesanan tidak ditemukan. Periksa kodenya lalu coba lagi.",
        "This booking code is not known. Check the code and try again.",
    ),
    E.BRANCH_NOT_FOUND: _spec(404, "Kantor tidak ditemukan.", "That branch does not exist."),
    E.COUNTER_NOT_FOUND: _spec(
        404, "Loket itu bukan loket Anda.", "That counter is not one of yours."
    ),
    E.DEVICE_NOT_FOUND: _spec(
        404, "Perangkat itu tidak terdaftar.", "That device is not registered."
    ),
    E.PAIRING_CODE_UNKNOWN: _spec(
        404,
        "Kode pemasangan salah, sudah dipakai, atau kedaluwarsa. Minta kode baru.",
        "This pairing code is wrong, used or expired. Ask for a new code.",
    ),
    E.HOLIDAY_NOT_FOUND: _spec(
        404, "Hari libur itu tidak terdaftar.", "That day is not a holiday of this branch."
    ),
    E.NOT_FOUND: _spec(
        404, "Tidak ada apa pun di alamat ini.", "There is nothing at this address."
    ),
    E.PRIORITY_CLASS_NOT_FOUND: _spec(
        404, "Kelas prioritas tidak ditemukan.", "That priority class does not exist."
    ),
    E.SERVICE_NOT_FOUND: _spec(
        404,
        "Layanan tidak ditemukan atau tidak menerima pemesanan online.",
        "That service does not exist or takes no online bookings.",
    ),
    E.TICKET_NOT_FOUND: _spec(404, "Nomor antrean tidak ditemukan.", "That ticket does not exist."),
    E.BOOKING_ALREADY_CHECKED_IN: _spec(
        409,
        "Pemesanan ini sudah check-in.",
        "This booking has already been checked in.",
    ),
    E.BOOKING_CANCELLED: _spec(
        409, "Pemesanan ini sudah dibatalkan.", "This booking was cancelled."
    ),
    E.BOOKING_DAY_CLOSED: _spec(
        409, "Kantor tidak buka pada hari tersebut.", "The office is closed on that day."
    ),
    E.BOOKING_EXISTS: _spec(
        409,
        "NIK ini sudah memiliki pemesanan untuk layanan ini pada hari yang sama.",
        "This NIK already has a booking for this service on that day.",
    ),
    E.BOOKING_LIMIT: _spec(
        409,
        "NIK ini sudah memiliki terlalu banyak pemesanan aktif. Batalkan salah satu dulu.",
        "This NIK already has as many active bookings as allowed; cancel one first.",
    ),
    E.BOOKING_HOLIDAY: _spec(
        409, "Kantor tutup pada hari libur tersebut.", "The office is closed on that holiday."
    ),
    E.BOOKING_OUTSIDE_WINDOW: _spec(
        409,
        "Tanggal tersebut di luar masa pemesanan.",
        "That date is outside the booking period.",
    ),
    E.BOOKING_TOO_EARLY: _spec(
        409,
        "Belum waktunya check-in untuk pemesanan ini. Silakan kembali mendekati jam "
        "pemesanan Anda.",
        "It is too early to check in for this booking. Please come back closer to "
        "your booked time.",
    ),
    E.BOOKING_TOO_LATE: _spec(
        409,
        "Waktu pemesanan ini sudah lewat. Silakan ambil nomor antrean biasa.",
        "The time for this booking has passed. Please take a regular number.",
    ),
    E.BRANCH_CODE_TAKEN: _spec(
        409, "Kode kantor itu sudah dipakai.", "A branch with that code already exists."
    ),
    E.CONFLICT: _spec(
        409,
        "Terjadi perubahan bersamaan. Silakan coba lagi.",
        "This clashed with a change made at the same time; try again.",
    ),
    E.COUNTER_BUSY: _spec(
        409,
        "Selesaikan, lewati, atau kembalikan nomor yang sedang dilayani terlebih dahulu.",
        "Finish, skip or return the current ticket first.",
    ),
    E.CLOCK_BACKWARDS: _spec(
        409,
        "Jam simulasi hanya dapat dimajukan.",
        "The simulation clock only moves forward.",
    ),
    E.COUNTER_NOT_OPEN: _spec(409, "Buka loket terlebih dahulu.", "Open the counter first."),
    E.COUNTER_NUMBER_TAKEN: _spec(
        409,
        "Nomor loket itu sudah ada di kantor ini.",
        "A counter with that number already exists here.",
    ),
    E.COUNTER_TAKEN: _spec(
        409,
        "Loket ini sudah dibuka oleh petugas lain.",
        "This counter is already open by another officer.",
    ),
    E.HOLIDAY_EXISTS: _spec(
        409,
        "Hari itu sudah terdaftar sebagai hari libur.",
        "That day is already a holiday of this branch.",
    ),
    E.INVALID_TRANSITION: _spec(
        409,
        "Tindakan itu sudah tidak bisa dilakukan untuk nomor ini.",
        "That is not possible for this ticket any more.",
    ),
    E.OFFICER_HAS_COUNTER: _spec(
        409, "Anda sudah membuka loket lain.", "You already have another counter open."
    ),
    E.PREFIX_TAKEN: _spec(
        409,
        "Huruf awalan itu sudah dipakai layanan lain di kantor ini.",
        "That prefix is already used by another service of this branch.",
    ),
    E.PRIORITY_CLASS_TAKEN: _spec(
        409,
        "Kelas prioritas dengan kode itu sudah ada.",
        "A priority class with that code already exists.",
    ),
    E.QUOTA_FULL: _spec(
        409,
        "Kuota hari ini untuk layanan ini sudah habis.",
        "Today's quota for this service is used up.",
    ),
    E.RESUME_POINT_AHEAD: _spec(
        409,
        "Data server telah diganti; muat ulang tampilan.",
        "The server's data was replaced; reload the view.",
    ),
    E.SAME_COUNTER: _spec(
        409,
        "Nomor itu sudah berada di loket tersebut.",
        "The ticket is already at that counter.",
    ),
    E.SERVICE_CLOSED: _spec(
        409,
        "Layanan itu sedang tidak menerima antrean.",
        "That service is not taking tickets.",
    ),
    E.SLOT_FULL: _spec(
        409,
        "Kuota jam tersebut sudah penuh. Silakan pilih jam lain.",
        "That slot is fully booked; choose another one.",
    ),
    E.SLOT_STARTED: _spec(
        409,
        "Jam tersebut sudah lewat. Silakan pilih jam berikutnya.",
        "That slot has already started; choose a later one.",
    ),
    E.SURVEY_ALREADY_ANSWERED: _spec(
        409,
        "Survei untuk nomor antrean ini sudah diisi. Terima kasih.",
        "The survey for this ticket has already been answered. Thank you.",
    ),
    E.TRAINING_MODE_MISMATCH: _spec(
        409,
        "Loket latihan hanya memanggil nomor latihan, dan loket biasa hanya nomor sungguhan.",
        "A training counter calls training tickets only, and a real counter real tickets only.",
    ),
    E.TRAINING_REAL_TICKET_OPEN: _spec(
        409,
        "Masih ada nomor sungguhan yang sedang dipanggil atau dilayani; selesaikan dulu "
        "sebelum mode latihan dimulai.",
        "A real ticket is still called or being served; finish it before training starts.",
    ),
    E.TICKET_FOR_OTHER_COUNTER: _spec(
        409,
        "Nomor itu sudah dialihkan ke loket lain.",
        "That ticket was transferred to another counter.",
    ),
    E.NO_SHOW_RECALL_EXPIRED: _spec(
        409,
        "Nomor ini dilewati terlalu lama yang lalu untuk dipanggil kembali; "
        "warga perlu mengambil nomor baru.",
        "This ticket was skipped too long ago to be called back; the citizen needs a new number.",
    ),
    E.UNDO_SKIP_EXPIRED: _spec(
        409,
        "Waktu untuk mengurungkan lewati sudah habis; panggil kembali nomornya.",
        "The time to undo the skip has passed; call the number back instead.",
    ),
    E.TICKET_FROM_PAST_DAY: _spec(
        409,
        "Nomor itu dari hari sebelumnya; hanya nomor hari ini yang dapat dipanggil.",
        "That ticket is from an earlier day; only today's tickets can be called.",
    ),
    E.TICKET_NOT_DONE: _spec(
        409,
        "Survei dapat diisi setelah layanan untuk nomor antrean ini selesai.",
        "The survey opens once the service for this ticket is done.",
    ),
    E.TICKET_NUMBER_UNKNOWN: _spec(
        409,
        "Hari ini tidak ada nomor antrean itu.",
        "There is no ticket with that number today.",
    ),
    E.HUB_GAP: _spec(
        409,
        "Hub belum menerima bagian jurnal sebelumnya; kirim lagi dari nomor urut yang diminta.",
        "The hub lacks earlier journal events; send again from the sequence it asks for.",
    ),
    E.HUB_HISTORY_CONFLICT: _spec(
        409,
        "Jurnal kantor ini berbeda dengan yang sudah diterima hub (dipulihkan dari cadangan "
        "lama?); tidak ada yang digabungkan.",
        "This branch's journal differs from the one the hub holds (restored from an older "
        "backup?); nothing was merged.",
    ),
    E.USERNAME_TAKEN: _spec(409, "Nama pengguna itu sudah dipakai.", "That username is taken."),
    E.BODY_TOO_LARGE: _spec(
        413, "Data yang dikirim terlalu besar.", "The request body is too large."
    ),
    E.BAD_IDEMPOTENCY_KEY: _spec(
        422,
        "Kunci idempotensi tidak valid (1–100 karakter ASCII).",
        "The Idempotency-Key is not valid (1 to 100 printable ASCII characters).",
    ),
    E.BAD_LAST_EVENT_ID: _spec(
        422,
        "Nomor kejadian terakhir tidak valid; muat ulang tampilan.",
        "The last event number is not valid; reload the view.",
    ),
    E.BAD_NAME: _spec(
        422,
        "Nama hanya boleh berisi huruf, spasi, dan tanda . , ' - (2–100 karakter).",
        "A name holds only letters, spaces and . , ' - (2 to 100 characters).",
    ),
    E.BAD_NIK: _spec(422, "NIK harus 16 angka.", "A NIK is 16 digits."),
    E.BAD_PHONE: _spec(
        422,
        "Nomor HP harus nomor seluler Indonesia, misalnya 0812 3456 7890.",
        "The phone number must be an Indonesian mobile number, such as 0812 3456 7890.",
    ),
    E.BAD_PREFIX: _spec(
        422,
        "Awalan layanan adalah 1 sampai 3 huruf kapital, misalnya A.",
        "A service prefix is 1 to 3 capital letters, such as A.",
    ),
    E.BAD_RANGE: _spec(
        422,
        "Tanggal akhir periode lebih awal dari tanggal mulainya.",
        "The period ends before it starts.",
    ),
    E.BAD_SLOT: _spec(
        422,
        "Jam yang dipilih tidak tersedia. Silakan pilih jam lain.",
        "The chosen slot is not available; choose another one.",
    ),
    E.BAD_SOURCE: _spec(
        422,
        "Nomor antrean online hanya dibuat dari check-in pemesanan.",
        "Online tickets come from a booking check-in.",
    ),
    E.BAD_SURVEY_ANSWERS: _spec(
        422,
        "Setiap pertanyaan survei dijawab dengan angka 1 sampai 4.",
        "Each survey question is answered with a number from 1 to 4.",
    ),
    E.BAD_TICKET_NUMBER: _spec(
        422, "Ketik nomor antrean, misalnya A-007.", "Type a ticket number such as A-007."
    ),
    E.BAD_TIMEZONE: _spec(
        422,
        "Zona waktu harus WIB, WITA, atau WIT.",
        "The time zone must be one of Indonesia's three.",
    ),
    E.BRANCH_REQUIRED: _spec(
        422,
        "Pilih kantor tempat pengguna ini bertugas.",
        "Give the branch this user belongs to.",
    ),
    E.COUNTER_NOT_IN_BRANCH: _spec(
        422,
        "Loket itu ada di kantor lain.",
        "That counter is in another branch.",
    ),
    E.DUPLICATE_SERVICE: _spec(
        422,
        "Sebuah layanan tercantum dua kali untuk loket ini.",
        "A service is listed twice for this counter.",
    ),
    E.IDEMPOTENCY_KEY_REUSED: _spec(
        422,
        "Kunci idempotensi ini sudah dipakai untuk permintaan lain.",
        "This Idempotency-Key was already used for another request.",
    ),
    E.HUB_NOT_CONSECUTIVE: _spec(
        422,
        "Peristiwa jurnal yang dikirim tidak berurutan.",
        "The journal events sent are not consecutive.",
    ),
    E.INVALID_INPUT: _spec(422, "Data yang diisi tidak valid.", "Some of the input is not valid."),
    E.MALFORMED_JSON: _spec(
        422, "Data yang dikirim bukan JSON yang valid.", "The request body is not valid JSON."
    ),
    E.NIK_REQUIRED: _spec(
        422, "Masukkan NIK yang dipakai saat memesan.", "Give the NIK used for the booking."
    ),
    E.PASSWORD_MISSING: _spec(
        422,
        "Kata sandi pengguna tidak diberikan dalam berkas pengaturan.",
        "A user's password is missing from the set-up.",
    ),
    E.RANGE_TOO_LONG: _spec(
        422, "Periode laporan paling lama 366 hari.", "A report covers at most 366 days."
    ),
    E.SURVEY_INCOMPLETE: _spec(
        422,
        "Mohon pilih satu jawaban untuk setiap pertanyaan.",
        "Please choose one answer for every question.",
    ),
    E.UNKNOWN_COUNTER: _spec(
        422,
        "Berkas pengaturan menyebut loket yang tidak ada.",
        "The set-up names a counter that does not exist.",
    ),
    E.UNKNOWN_PREFIX: _spec(
        422,
        "Berkas pengaturan menyebut layanan yang tidak ada.",
        "The set-up names a service that does not exist.",
    ),
    E.LOGIN_THROTTLED: _spec(
        429,
        "Terlalu banyak percobaan masuk yang gagal. Tunggu sebentar lalu coba lagi.",
        "Too many failed logins; wait before trying again.",
    ),
    E.OLD_PASSWORD_WRONG: _spec(
        403,
        "Kata sandi lama salah.",
        "The current password is wrong.",
    ),
    E.USER_NOT_FOUND: _spec(404, "Pengguna itu tidak ada.", "There is no such user."),
    E.CANNOT_DISABLE_SELF: _spec(
        409,
        "Anda tidak dapat menonaktifkan akun Anda sendiri.",
        "You cannot disable your own account.",
    ),
    E.TOO_MANY_STREAMS: _spec(
        429,
        "Terlalu banyak pemantauan langsung dari alamat ini. Tutup sebagian lalu coba lagi.",
        "Too many live status streams from this address; close some and try again.",
    ),
    E.ADDRESS_BOOKING_LIMIT: _spec(
        429,
        "Terlalu banyak pemesanan dari jaringan ini hari ini. Coba lagi besok.",
        "Too many bookings from this network today; try again tomorrow.",
    ),
    E.RATE_LIMITED: _spec(
        429,
        "Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.",
        "Too many requests; wait a moment.",
    ),
    E.INTERNAL_ERROR: _spec(
        500,
        "Terjadi kesalahan di server; kesalahan ini sudah dicatat.",
        "Something went wrong on the server; it has been logged.",
    ),
    E.STREAMS_FULL: _spec(
        503,
        "Server sedang melayani terlalu banyak pemantauan langsung; muat ulang halaman nanti.",
        "The server is serving too many live status streams; try again later.",
    ),
    E.DATABASE_UNAVAILABLE: _spec(
        503,
        "Server tidak dapat menjangkau basis datanya; coba lagi sebentar lagi.",
        "The server cannot reach its database; try again shortly.",
    ),
    E.LOGIN_BUSY: _spec(
        503,
        "Terlalu banyak orang masuk bersamaan; coba lagi sebentar lagi.",
        "Too many logins at once; try again in a moment.",
    ),
    E.NO_CODE: _spec(
        503,
        "Belum ada kode pemesanan yang bebas; coba lagi.",
        "No free booking code right now; try again.",
    ),
}
del E


def spec(code: ErrorCode) -> ErrorSpec:
    return ERRORS[code]


def status_of(code: ErrorCode) -> int:
    return int(ERRORS[code].status)


def parse_code(text: str) -> ErrorCode | str:
    """The member for a code received over the wire, or the text itself when this version
    does not know it (a newer server may send new codes)."""
    try:
        return ErrorCode(text)
    except ValueError:
        return text
