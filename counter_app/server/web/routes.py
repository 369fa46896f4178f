"""The booking pages (``/pesan``) and the ticket status page (``/t/<code>``) with its survey.

Server-rendered HTML in Indonesian, small enough for a cheap phone on a slow link: one page per
step (office → service → date → time and identity → the booking), forms that work without
JavaScript, and a few lines of script only on the status page. The forms call the same store
functions as the JSON API (through ``server.booking_flow``), so the rules are the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Path, Query, Request
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from counter_app.core.booking import BookingState, normalise_booking_code
from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError, conflict, invalid
from counter_app.core.ikm import ELEMENTS
from counter_app.core.states import TicketState
from counter_app.schemas.booking import BookingCreate, BookingOut
from counter_app.schemas.survey import SurveyAnswers, SurveyState
from counter_app.server import booking_flow
from counter_app.server.api.public import FINAL_STATES, check_rate
from counter_app.server.context import Services, app_services
from counter_app.server.web import csrf, texts
from counter_app.server.web.render import page, qr_svg
from counter_app.store import bookings, survey
from counter_app.store.models import Branch, Service
from counter_app.store.snapshot import latest_by_code, ticket_status

router = APIRouter(include_in_schema=False)
ServiceId = Annotated[int, Path(ge=1, le=2**31 - 1)]
BranchCode = Annotated[str, Path(pattern=r"^[a-z0-9_\-]{1,32}$")]
AnyCode = Annotated[str, Path(min_length=1, max_length=40)]
TOKEN_COOKIE_PREFIX = "bk_"
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}


def _html(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page; make sure the browser holds a CSRF nonce and the page its token."""
    svc: Services = app_services(request)
    nonce = request.cookies.get(csrf.COOKIE)
    fresh = not nonce or len(nonce) > 64
    if fresh:
        nonce = csrf.new_nonce()
    assert nonce is not None
    body = page(template, csrf_token=csrf.sign(svc.keys.form, nonce), texts=texts, **context)
    response = HTMLResponse(body, status_code=status, headers=HEADERS)
    if fresh:
        response.set_cookie(csrf.COOKIE, nonce, httponly=True, samesite="lax", path="/")
    return response


def _error_page(request: Request, error: AppError, back: str | None = None) -> HTMLResponse:
    return _html(
        request,
        "error.html",
        status=error.status,
        message=texts.message_for(error),
        back=back,
    )


def _check_csrf(request: Request, form: Any) -> None:
    svc: Services = app_services(request)
    if not csrf.valid(svc.keys.form, request.cookies.get(csrf.COOKIE), form.get(csrf.FIELD)):
        raise AppError(ErrorCode.CSRF, "The form token is missing or wrong.")


def _field(form: Any, name: str, limit: int = 200) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


# --- choosing: office → service → day → slot --------------------------------------------------


def _bookable_branches(svc: Services) -> list[Branch]:
    with svc.db.read() as session:
        ids = set(
            session.scalars(
                select(Service.branch_id).where(
                    Service.active.is_(True), Service.booking_enabled.is_(True)
                )
            )
        )
        return list(session.scalars(select(Branch).where(Branch.id.in_(ids)).order_by(Branch.name)))


@router.get("/pesan")
def choose_branch(request: Request) -> Response:
    svc: Services = app_services(request)
    check_rate(request)
    branches = _bookable_branches(svc)
    if len(branches) == 1:
        return RedirectResponse(f"/pesan/{branches[0].code}", status_code=303)
    return _html(request, "branches.html", branches=branches)


@router.get("/pesan/kode")
def find_booking(request: Request, kode: Annotated[str, Query(max_length=40)] = "") -> Response:
    code = normalise_booking_code(kode)
    if code is None:
        error = AppError(ErrorCode.BOOKING_NOT_FOUND, "No such booking.")
        return _error_page(request, error, back="/pesan")
    return RedirectResponse(f"/pesan/kode/{code}", status_code=303)


@router.get("/pesan/{branch_code}")
def choose_service(branch_code: BranchCode, request: Request) -> Response:
    svc: Services = app_services(request)
    check_rate(request)
    with svc.db.read() as session:
        branch = session.scalars(select(Branch).where(Branch.code == branch_code)).one_or_none()
        if branch is None:
            error = AppError(ErrorCode.BRANCH_NOT_FOUND, "No such branch.")
            return _error_page(request, error, back="/pesan")
        rows = session.scalars(
            select(Service)
            .where(
                Service.branch_id == branch.id,
                Service.active.is_(True),
                Service.booking_enabled.is_(True),
            )
            .order_by(Service.position, Service.prefix)
        ).all()
    return _html(request, "services.html", branch=branch, services=rows)


@router.get("/pesan/layanan/{service_id}")
def choose_day(service_id: ServiceId, request: Request) -> Response:
    svc: Services = app_services(request)
    check_rate(request)
    try:
        with svc.db.read() as session:
            slots = bookings.list_slots(session, service_id, svc.clock())
    except AppError as error:
        return _error_page(request, error, back="/pesan")
    return _html(request, "days.html", slots=slots)


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
            slots = bookings.list_slots(session, service_id, svc.clock(), day)
    except AppError as exc:
        return _error_page(request, exc, back="/pesan")
    return _html(
        request,
        "slots.html",
        status=status,
        slots=slots,
        day=slots.days[0],
        error=error,
        values=values or {},
    )


@router.get("/pesan/layanan/{service_id}/{day}")
def choose_slot(service_id: ServiceId, day: dt.date, request: Request) -> Response:
    check_rate(request)
    return _slot_page(request, service_id, day)


@router.post("/pesan/layanan/{service_id}/{day}")
async def book(service_id: ServiceId, day: dt.date, request: Request) -> Response:
    form = await request.form()
    values = {k: _field(form, k) for k in ("slot", "nik", "name", "phone")}
    svc: Services = app_services(request)
    try:
        _check_csrf(request, form)
        try:
            data = BookingCreate(
                service_id=service_id,
                slot_start=values["slot"],
                nik=values["nik"][:40],
                name=values["name"],
                phone=values["phone"][:30],
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
                values=values,
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
) -> HTMLResponse:
    svc: Services = app_services(request)
    with svc.db.read() as session:
        branch = session.get(Branch, booking.branch_id)
    assert branch is not None
    return _html(
        request,
        "booking.html",
        status=status,
        booking=booking,
        zone=branch.timezone,
        qr=qr_svg(booking.code),
        has_token=bool(request.cookies.get(TOKEN_COOKIE_PREFIX + booking.code)),
        cancellable=booking.state is BookingState.BOOKED,
        error=error,
        notice=notice,
    )


@router.get("/pesan/kode/{code}")
def show_booking(code: AnyCode, request: Request) -> Response:
    svc: Services = app_services(request)
    check_rate(request)
    try:
        with svc.db.read() as session:
            booking = bookings.get_booking(session, code)
    except AppError as error:
        return _error_page(request, error, back="/pesan")
    if booking.code != code:
        return RedirectResponse(f"/pesan/kode/{booking.code}", status_code=303)
    return _booking_page(request, booking)


@router.post("/pesan/kode/{code}/batal")
async def cancel(code: AnyCode, request: Request) -> Response:
    form = await request.form()
    svc: Services = app_services(request)
    nik = _field(form, "nik", 40).strip()
    token = request.cookies.get(TOKEN_COOKIE_PREFIX + code)
    try:
        _check_csrf(request, form)
        if not nik and not token:
            raise AppError(ErrorCode.NIK_REQUIRED, "Give the NIK.")
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
                    booking = bookings.get_booking(session, code)
            except AppError as missing:
                return _error_page(request, missing, back="/pesan")
            return _booking_page(
                request,
                booking,
                status=failure.status,
                error=texts.message_for(failure),
            )

        return await run_in_threadpool(again)
    return RedirectResponse(f"/pesan/kode/{quote(code)}", status_code=303)


# --- the ticket status page, and its satisfaction survey ----------------------------------------

TicketCode = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{4,16}$")]
ANSWER_FIELDS = tuple(f"u{element.number}" for element in ELEMENTS)


def _status_page(
    request: Request,
    code: str,
    *,
    failure: AppError | None = None,
    answers: dict[str, int] | None = None,
    missing: frozenset[int] = frozenset(),
) -> Response:
    """The status page; ``failure`` is a refused survey answer, shown above the form with the
    answers given kept (and the unanswered questions marked)."""
    svc: Services = app_services(request)
    try:
        with svc.db.read() as session:
            ticket = ticket_status(session, code, svc.clock())
            branch = session.get(Branch, latest_by_code(session, code).branch_id)
            form = survey.survey_status(session, code) if ticket.state is TicketState.DONE else None
    except AppError:
        error = AppError(ErrorCode.TICKET_NOT_FOUND, "No such ticket.")
        return _error_page(request, error)
    state = form.survey if form else SurveyState.NOT_AVAILABLE
    if failure is not None and failure.code is ErrorCode.SURVEY_INCOMPLETE:
        # An incomplete form for a ticket that cannot answer (now): say why not instead.
        if state is SurveyState.ANSWERED:
            failure = None
        elif state is SurveyState.NOT_AVAILABLE:
            failure = conflict(
                ErrorCode.TICKET_NOT_DONE, "The survey opens once the service is done."
            )
    return _html(
        request,
        "status.html",
        status=failure.status if failure else 200,
        ticket=ticket,
        final=ticket.state in FINAL_STATES,
        labels=texts.TICKET_STATES,
        zone=branch.timezone if branch else "Asia/Jakarta",
        survey=state.value,
        elements=ELEMENTS,
        answers=answers or {},
        missing=missing if failure else frozenset(),
        survey_error=texts.message_for(failure) if failure else None,
    )


@router.get("/t/{code}")
def ticket_page(code: TicketCode, request: Request) -> Response:
    check_rate(request)
    return _status_page(request, code)


def _answers(form: Any) -> tuple[dict[str, int], frozenset[int]]:
    """The answers given (each "1".."4"), and the numbers of the questions left unanswered
    (a value that is not one of the four counts as unanswered)."""
    given: dict[str, int] = {}
    for name in ANSWER_FIELDS:
        value = _field(form, name, 2)
        if value in ("1", "2", "3", "4"):
            given[name] = int(value)
    missing = frozenset(e.number for e in ELEMENTS if f"u{e.number}" not in given)
    return given, missing


@router.post("/t/{code}/survei")
async def answer_survey(code: TicketCode, request: Request) -> Response:
    """The status page's survey form: the same store function as ``submit_survey``. Success,
    and an answer already given, lead back to the page, which then says thank you."""
    svc: Services = app_services(request)
    form = await request.form()
    given, missing = _answers(form)
    try:
        check_rate(request)
    except AppError as error:
        return _error_page(request, error, back=f"/t/{code.upper()}")
    try:
        _check_csrf(request, form)
        if missing:
            numbers = ", ".join(str(n) for n in sorted(missing))
            raise invalid(ErrorCode.SURVEY_INCOMPLETE, f"Unanswered: {numbers}.", numbers=numbers)
        answers = SurveyAnswers.model_validate(given)

        def store() -> None:
            with svc.db.write() as session:
                survey.submit_survey(session, code, answers, svc.clock())

        await run_in_threadpool(store)
    except AppError as error:
        if error.code is not ErrorCode.SURVEY_ALREADY_ANSWERED:
            failure = error
            return await run_in_threadpool(
                lambda: _status_page(request, code, failure=failure, answers=given, missing=missing)
            )
    return RedirectResponse(f"/t/{code.upper()}#survei", status_code=303)


def install(app: FastAPI) -> None:
    app.include_router(router)
