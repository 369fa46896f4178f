"""The booking pages (``/pesan``): office → service → date → time and identity → the booking,
with its code, QR and cancelling.

Server-rendered HTML in Indonesian, small enough for a cheap phone on a slow link; forms that
work without JavaScript. The forms call the same store functions as the JSON API (through
``server.booking_flow``), so the rules are the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from counter_app.core.booking import BookingState, normalise_booking_code
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError
from counter_app.schemas.booking import BookingCreate, BookingOut
from counter_app.server import booking_flow
from counter_app.server.api.public import check_rate
from counter_app.server.context import Services, app_services
from counter_app.server.web import texts
from counter_app.server.web.forms import NIK_LIMIT, BookingPageForm, CancelPageForm
from counter_app.server.web.html import PageRoute, check_csrf, error_page, html
from counter_app.server.web.render import qr_svg
from counter_app.store.booking.catalogue import (
    bookable_branches,
    bookable_services,
    branch_timezone,
)
from counter_app.store.booking.lifecycle import get_booking
from counter_app.store.booking.slots import list_slots

router = APIRouter(include_in_schema=False, route_class=PageRoute)
ServiceId = Annotated[int, Path(ge=1, le=2**31 - 1)]
BranchCode = Annotated[str, Path(pattern=r"^[a-z0-9_\-]{1,32}$")]
AnyCode = Annotated[str, Path(min_length=1, max_length=40)]
TOKEN_COOKIE_PREFIX = "bk_"


# --- choosing: office → service → day → slot --------------------------------------------------


@router.get("/pesan")
def choose_branch(request: Request) -> Response:
    svc: Services = app_services(request)
    check_rate(request)
    with svc.db.read() as session:
        branches = bookable_branches(session)
    if len(branches) == 1:
        return RedirectResponse(f"/pesan/{branches[0].code}", status_code=303)
    return html(request, "branches.html", branches=branches)


@router.get("/pesan/kode")
def find_booking(request: Request, kode: Annotated[str, Query(max_length=40)] = "") -> Response:
    code = normalise_booking_code(kode)
    if code is None:
        error = AppError(ErrorCode.BOOKING_NOT_FOUND, "No such booking.")
        return error_page(request, error, back="/pesan")
    return RedirectResponse(f"/pesan/kode/{code}", status_code=303)


@router.get("/pesan/{branch_code}")
def choose_service(branch_code: BranchCode, request: Request) -> Response:
    svc: Services = app_services(request)
    check_rate(request)
    try:
        with svc.db.read() as session:
            branch, services = bookable_services(session, branch_code)
    except AppError as error:
        return error_page(request, error, back="/pesan")
    return html(request, "services.html", branch=branch, services=services)


@router.get("/pesan/layanan/{service_id}")
def choose_day(service_id: ServiceId, request: Request) -> Response:
    svc: Services = app_services(request)
    check_rate(request)
    try:
        with svc.db.read() as session:
            slots = list_slots(session, service_id, svc.clock())
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
    svc: Services = app_services(request)
    try:
        with svc.db.read() as session:
            slots = list_slots(session, service_id, svc.clock(), day)
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
        retention_days=svc.settings.booking_retention_days,
    )


@router.get("/pesan/layanan/{service_id}/{day}")
def choose_slot(service_id: ServiceId, day: dt.date, request: Request) -> Response:
    check_rate(request)
    return _slot_page(request, service_id, day)


@router.post("/pesan/layanan/{service_id}/{day}")
async def book(
    service_id: ServiceId,
    day: dt.date,
    form: Annotated[BookingPageForm, Form()],
    request: Request,
) -> Response:
    svc: Services = app_services(request)
    try:
        check_csrf(request, form.csrf_token)
        try:
            data = BookingCreate.model_validate(
                {
                    "service_id": service_id,
                    "slot_start": form.slot,  # ISO text, as the JSON API takes it
                    "nik": form.nik[:NIK_LIMIT],
                    "name": form.name,
                }
            )
        except ValidationError:
            raise AppError(ErrorCode.BAD_SLOT, "Choose a slot.") from None
        created = await run_in_threadpool(booking_flow.create, svc, request, data)
    except AppError as error:
        failure = error
        return await run_in_threadpool(
            lambda: _slot_page(
                request,
                service_id,
                day,
                status=failure.status,
                error=texts.message_for(failure),
                values=form.entries(),
            )
        )
    response = RedirectResponse(f"/pesan/kode/{created.code}", status_code=303)
    response.set_cookie(
        TOKEN_COOKIE_PREFIX + created.code,
        created.cancel_token,
        max_age=int((created.slot_end - svc.clock()).total_seconds()) + 86_400,
        path=f"/pesan/kode/{created.code}",
        httponly=True,
        samesite="lax",
    )
    return response


# --- the booking: code, QR, cancelling ----------------------------------------------------------


def _booking_page(
    request: Request,
    booking: BookingOut,
    *,
    status: int = 200,
    error: str | None = None,
    notice: str | None = None,
    confirm_nik: str | None = None,
) -> HTMLResponse:
    svc: Services = app_services(request)
    with svc.db.read() as session:
        zone = branch_timezone(session, booking.branch_id)
    return html(
        request,
        "booking.html",
        status=status,
        booking=booking,
        zone=zone,
        qr=qr_svg(booking.code),
        has_token=bool(request.cookies.get(TOKEN_COOKIE_PREFIX + booking.code)),
        # The masked name and NIK digits: for the browser that booked it, or whom typed the NIK.
        personal_shown=booking.nik_last4 is not None,
        cancellable=booking.state is BookingState.BOOKED,
        error=error,
        notice=notice,
        confirming=confirm_nik is not None,
        confirm_nik=confirm_nik or "",
    )


@router.get("/pesan/kode/{code}")
def show_booking(code: AnyCode, request: Request) -> Response:
    svc: Services = app_services(request)
    check_rate(request)
    token = request.cookies.get(TOKEN_COOKIE_PREFIX + code)
    try:
        with svc.db.read() as session:
            booking = get_booking(session, code, cancel_token=token)
    except AppError as error:
        return error_page(request, error, back="/pesan")
    if booking.code != code:
        return RedirectResponse(f"/pesan/kode/{booking.code}", status_code=303)
    return _booking_page(request, booking)


def _confirm_page(request: Request, code: str, nik: str) -> Response:
    svc: Services = app_services(request)
    try:
        with svc.db.read() as session:
            booking = get_booking(session, code)
    except AppError as missing:
        return error_page(request, missing, back="/pesan")
    return _booking_page(request, booking, confirm_nik=nik)


@router.post("/pesan/kode/{code}/batal")
async def cancel(
    code: AnyCode, form: Annotated[CancelPageForm, Form()], request: Request
) -> Response:
    svc: Services = app_services(request)
    nik = form.nik
    token = request.cookies.get(TOKEN_COOKIE_PREFIX + code)
    try:
        check_csrf(request, form.csrf_token)
        if not nik and not token:
            raise AppError(ErrorCode.NIK_REQUIRED, "Give the NIK.")
        if not form.confirmed:
            # One tap never cancels: the first button shows the booking again with a
            # second, explicit one (plain forms: it works without JavaScript).
            return await run_in_threadpool(lambda: _confirm_page(request, code, nik))
        await run_in_threadpool(
            lambda: booking_flow.cancel(
                svc, request, code, nik=nik or None, cancel_token=None if nik else token
            )
        )
    except AppError as error:
        failure = error

        def again() -> Response:
            try:
                with svc.db.read() as session:
                    booking = get_booking(session, code, cancel_token=token)
            except AppError as missing:
                return error_page(request, missing, back="/pesan")
            return _booking_page(
                request,
                booking,
                status=failure.status,
                error=texts.message_for(failure),
            )

        return await run_in_threadpool(again)
    return RedirectResponse(f"/pesan/kode/{quote(code)}", status_code=303)


@router.post("/pesan/kode/{code}/lihat")
async def reveal(
    code: AnyCode, form: Annotated[CancelPageForm, Form()], request: Request
) -> Response:
    """The booking page with the masked name and NIK digits, for whom types the NIK."""
    svc: Services = app_services(request)
    try:
        check_csrf(request, form.csrf_token)
        if not form.nik:
            raise AppError(ErrorCode.NIK_REQUIRED, "Give the NIK.")
        booking = await run_in_threadpool(booking_flow.reveal, svc, request, code, form.nik)
    except AppError as error:
        failure = error

        def again() -> Response:
            token = request.cookies.get(TOKEN_COOKIE_PREFIX + code)
            try:
                with svc.db.read() as session:
                    booking = get_booking(session, code, cancel_token=token)
            except AppError as missing:
                return error_page(request, missing, back="/pesan")
            return _booking_page(
                request, booking, status=failure.status, error=texts.message_for(failure)
            )

        return await run_in_threadpool(again)
    return await run_in_threadpool(lambda: _booking_page(request, booking))
