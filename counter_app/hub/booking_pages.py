"""The hub's public pages: booking from home (``/pesan``) and the ticket status (``/t/…``).

The same addresses and templates as a branch's own pages (``server/web/templates``), so a
citizen sees the same forms whether the region's hub or a LAN-only office serves them; the
data comes from the hub's tables (``hub.booking``) and its copy of the branches' journals
(``hub.booking_status``). What differs is said on the page: whether the office has the booking
yet, and how old the queue position is.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import HTMLResponse, RedirectResponse, Response

from counter_app.core.booking import BookingState, normalise_booking_code
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.hub import booking, booking_create, booking_status
from counter_app.hub.booking_api import limit
from counter_app.hub.booking_models import HubBooking
from counter_app.hub.keys import HubKeys
from counter_app.schemas.booking import BookingCreate
from counter_app.server.security_headers import page_csp
from counter_app.server.web import csrf, texts
from counter_app.server.web.render import page, qr_svg

router = APIRouter(include_in_schema=False)
ServiceId = Annotated[int, Path(ge=1, le=2**31 - 1)]
BranchCode = Annotated[str, Path(pattern=r"^[a-z0-9_\-]{1,32}$")]
AnyCode = Annotated[str, Path(min_length=1, max_length=40)]
TicketCode = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{4,16}$")]
TOKEN_COOKIE_PREFIX = "bk_"
RETENTION_DAYS = 30  # names and NIK hashes kept after the slot (docs/PRIVACY.md "The hub")
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}
T = TypeVar("T")


def _keys(request: Request) -> HubKeys:
    keys: HubKeys = request.app.state.hub_keys
    return keys


def _run(request: Request, work: Callable[[Session], T]) -> T:
    maker: sessionmaker[Session] = request.app.state.sessions
    with maker.begin() as session:
        return work(session)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def html(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    nonce = request.cookies.get(csrf.COOKIE)
    fresh = not nonce or len(nonce) > 64
    if fresh:
        nonce = csrf.new_nonce()
    assert nonce is not None
    script_nonce = secrets.token_urlsafe(16)
    body = page(
        template,
        csrf_token=csrf.sign(_keys(request).form, nonce),
        script_nonce=script_nonce,
        texts=texts,
        **context,
    )
    headers = {**HEADERS, "Content-Security-Policy": page_csp(script_nonce)}
    response = HTMLResponse(body, status_code=status, headers=headers)
    if fresh:
        response.set_cookie(csrf.COOKIE, nonce, httponly=True, samesite="lax", path="/")
    return response


def error_page(request: Request, error: AppError, back: str | None = None) -> HTMLResponse:
    return html(
        request, "error.html", status=error.status, message=texts.message_for(error), back=back
    )


def _check_csrf(request: Request, token: str) -> None:
    if not csrf.valid(_keys(request).form, request.cookies.get(csrf.COOKIE), token):
        raise AppError(ErrorCode.CSRF, "The form token is missing or wrong.")


def _form_text(value: Any, limit: int = 200) -> str:
    return value[:limit].strip() if isinstance(value, str) else ""


# --- choosing ----------------------------------------------------------------------------------


@router.get("/pesan")
def choose_branch(request: Request) -> Response:
    offices = _run(request, booking.offices)
    if len(offices) == 1:
        return RedirectResponse(f"/pesan/{offices[0].code}", status_code=303)
    return html(request, "branches.html", branches=offices)


@router.get("/pesan/kode")
def find_booking(request: Request, kode: Annotated[str, Query(max_length=40)] = "") -> Response:
    code = normalise_booking_code(kode)
    if code is None:
        return error_page(
            request, AppError(ErrorCode.BOOKING_NOT_FOUND, "No such booking."), "/pesan"
        )
    return RedirectResponse(f"/pesan/kode/{code}", status_code=303)


@router.get("/pesan/{branch_code}")
def choose_service(branch_code: BranchCode, request: Request) -> Response:
    try:
        office, services = _run(request, lambda s: booking.office_services(s, branch_code))
    except AppError as error:
        return error_page(request, error, back="/pesan")
    return html(request, "services.html", branch=office, services=services)


@router.get("/pesan/layanan/{service_id}")
def choose_day(service_id: ServiceId, request: Request) -> Response:
    try:
        slots = _run(request, lambda s: booking.list_slots(s, service_id, _now()))
    except AppError as error:
        return error_page(request, error, back="/pesan")
    return html(request, "days.html", slots=slots)


def _slot_page(
    request: Request,
    service_id: int,
    day: dt.date,
    *,
    status: int = 200,
    error: str | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    try:
        slots = _run(request, lambda s: booking.list_slots(s, service_id, _now(), day))
    except AppError as exc:
        return error_page(request, exc, back="/pesan")
    return html(
        request,
        "slots.html",
        status=status,
        slots=slots,
        day=slots.days[0],
        error=error,
        values=values or {},
        retention_days=RETENTION_DAYS,
    )


@router.get("/pesan/layanan/{service_id}/{day}")
def choose_slot(service_id: ServiceId, day: dt.date, request: Request) -> Response:
    return _slot_page(request, service_id, day)


@router.post("/pesan/layanan/{service_id}/{day}")
def book(
    service_id: ServiceId,
    day: dt.date,
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    slot: Annotated[str, Form()] = "",
    nik: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
) -> Response:
    values = {"slot": _form_text(slot), "nik": _form_text(nik, 40), "name": _form_text(name)}
    keys = _keys(request)
    try:
        limit(request, values["nik"])
        _check_csrf(request, csrf_token)
        try:
            data = BookingCreate.model_validate(
                {
                    "service_id": service_id,
                    "slot_start": values["slot"],
                    "nik": values["nik"],
                    "name": values["name"],
                }
            )
        except ValidationError:
            raise AppError(ErrorCode.BAD_SLOT, "Choose a slot.") from None
        created = _run(
            request, lambda s: booking_create.create_with_race(s, data, keys.nik, _now())
        )
    except AppError as failure:
        return _slot_page(
            request,
            service_id,
            day,
            status=failure.status,
            error=texts.message_for(failure),
            values=values,
        )
    response = RedirectResponse(f"/pesan/kode/{created.code}", status_code=303)
    response.set_cookie(
        TOKEN_COOKIE_PREFIX + created.code,
        created.cancel_token,
        max_age=int((created.slot_end - _now()).total_seconds()) + 86_400,
        path=f"/pesan/kode/{created.code}",
        httponly=True,
        samesite="lax",
    )
    return response


# --- the booking ---------------------------------------------------------------------------------


def _link_note(view: booking.HubBookingView, now: dt.datetime) -> str | None:
    """What the page says of the office's link, when it matters: the office has not taken
    the booking yet and has not been heard from lately; or that a cancellation came after
    the office had checked the booking in."""
    if view.cancel_refused:
        return (
            "Pembatalan Anda tiba setelah pemesanan ini check-in di kantor, jadi tidak "
            "berlaku: pemesanan ini tetap tercatat sudah check-in."
        )
    if view.delivered or view.booking.state is not BookingState.BOOKED:
        return None
    if not booking.branch_away(view, now):
        return "Pemesanan sedang dikirim ke kantor."
    seen = view.branch_seen_at
    since = (
        f"sejak {texts.short_date(texts.local_date(seen, view.timezone))} "
        f"{texts.clock(seen, view.timezone)} {texts.zone_name(view.timezone)}"
        if seen is not None
        else "sejak pemesanan dibuka"
    )
    return (
        f"Kantor belum tersambung {since}. Pemesanan Anda tersimpan di pusat dan dikirim ke "
        "kantor begitu kantor tersambung kembali. Bila sampai jadwal kantor belum tersambung, "
        "tunjukkan kode ini kepada petugas."
    )


def _booking_page(
    request: Request,
    view: booking.HubBookingView,
    *,
    status: int = 200,
    error: str | None = None,
    confirm_nik: str | None = None,
) -> HTMLResponse:
    out = view.booking
    ticket_code = None
    if out.state is BookingState.BOOKED or out.state is BookingState.CHECKED_IN:

        def find(session: Session) -> str | None:
            row = session.query(HubBooking).filter(HubBooking.code == out.code).one()
            return booking.ticket_of_booking(session, row)

        ticket_code = _run(request, find)
    if ticket_code is not None:
        out = out.model_copy(update={"ticket_code": ticket_code, "state": BookingState.CHECKED_IN})
    return html(
        request,
        "booking.html",
        status=status,
        booking=out,
        zone=view.timezone,
        qr=qr_svg(out.code),
        has_token=bool(request.cookies.get(TOKEN_COOKIE_PREFIX + out.code)),
        personal_shown=out.nik_last4 is not None,
        cancellable=out.state is BookingState.BOOKED,
        error=error,
        notice=None,
        confirming=confirm_nik is not None,
        confirm_nik=confirm_nik or "",
        hub_note=_link_note(view, _now()),
    )


@router.get("/pesan/kode/{code}")
def show_booking(code: AnyCode, request: Request) -> Response:
    token = request.cookies.get(TOKEN_COOKIE_PREFIX + code)
    try:
        view = _run(request, lambda s: booking.get_booking(s, code, cancel_token=token))
    except AppError as error:
        return error_page(request, error, back="/pesan")
    if view.booking.code != code:
        return RedirectResponse(f"/pesan/kode/{view.booking.code}", status_code=303)
    return _booking_page(request, view)


@router.post("/pesan/kode/{code}/batal")
def cancel(
    code: AnyCode,
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    nik: Annotated[str, Form()] = "",
    confirmed: Annotated[str, Form()] = "",
) -> Response:
    nik = _form_text(nik, 40)
    token = request.cookies.get(TOKEN_COOKIE_PREFIX + code)
    keys = _keys(request)
    try:
        limit(request, nik or None)
        _check_csrf(request, csrf_token)
        if not nik and not token:
            raise AppError(ErrorCode.NIK_REQUIRED, "Give the NIK.")
        if confirmed != "1":
            view = _run(request, lambda s: booking.get_booking(s, code))
            return _booking_page(request, view, confirm_nik=nik)
        _run(
            request,
            lambda s: booking.cancel_booking(
                s,
                code,
                nik_keys=keys.nik,
                nik=nik or None,
                cancel_token=None if nik else token,
                now=_now(),
            ),
        )
    except AppError as failure:
        try:
            view = _run(request, lambda s: booking.get_booking(s, code, cancel_token=token))
        except AppError as missing:
            return error_page(request, missing, back="/pesan")
        return _booking_page(request, view, status=failure.status, error=texts.message_for(failure))
    return RedirectResponse(f"/pesan/kode/{quote(code)}", status_code=303)


@router.post("/pesan/kode/{code}/lihat")
def reveal(
    code: AnyCode,
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    nik: Annotated[str, Form()] = "",
) -> Response:
    nik = _form_text(nik, 40)
    keys = _keys(request)
    try:
        limit(request, nik or None)
        _check_csrf(request, csrf_token)
        if not nik:
            raise AppError(ErrorCode.NIK_REQUIRED, "Give the NIK.")
        view = _run(request, lambda s: booking.get_booking(s, code, nik_keys=keys.nik, nik=nik))
    except AppError as failure:
        token = request.cookies.get(TOKEN_COOKIE_PREFIX + code)
        try:
            view = _run(request, lambda s: booking.get_booking(s, code, cancel_token=token))
        except AppError as missing:
            return error_page(request, missing, back="/pesan")
        return _booking_page(request, view, status=failure.status, error=texts.message_for(failure))
    return _booking_page(request, view)


# --- the ticket's status, from the journal's copy -------------------------------------------------


@router.get("/t/{code}")
def ticket_page(code: TicketCode, request: Request) -> Response:
    now = _now()
    known = _run(request, lambda s: booking_status.ticket_status(s, code, now))
    if known is None:
        return error_page(request, AppError(ErrorCode.TICKET_NOT_FOUND, "No such ticket."))
    age_seconds = max(0, int((now - known.as_of).total_seconds()))
    return html(
        request,
        "hub_status.html",
        ticket=known,
        labels=texts.TICKET_STATES,
        final=known.state in ("done", "no_show", "cancelled", "expired"),
        age_minutes=age_seconds // 60,
        age_seconds=age_seconds,
    )
