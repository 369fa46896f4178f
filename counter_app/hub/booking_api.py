"""The hub's booking API (docs/HUB.md "Booking from home").

For branches (link key): ``PUT /hub/v1/booking/setup`` (its bookable services, slot rules,
hours, holidays and online share) and ``GET /hub/v1/booking/feed?after=N`` (the hub's bookings
of the branch, changes after its cursor). For citizens (public, JSON; the pages in
``hub.booking_pages`` call the same functions): slots, booking, looking up, cancelling.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from counter_app.core.error_codes import ErrorCode
from counter_app.hub import booking, booking_create
from counter_app.hub.api import BranchDep, _decode_body, _in_transaction
from counter_app.hub.booking_limits import HubBookingLimits
from counter_app.hub.keys import HubKeys
from counter_app.hub.pg_pool import AsyncPgPool
from counter_app.hub.store import HubRefusalError
from counter_app.schemas.booking import (
    BookingCreate,
    BookingCreated,
    BookingOut,
    CancelBookingRequest,
    SlotsOut,
)
from counter_app.schemas.hub_booking import BookingSetup, HubBookingFeed, SetupResult

router = APIRouter(prefix="/hub/v1", tags=["hub booking"])


def hub_keys(request: Request) -> HubKeys:
    keys: HubKeys = request.app.state.hub_keys
    return keys


def limit(request: Request, nik: str | None) -> None:
    """The booking rate limits (hub.booking_limits): per client address and per NIK."""
    limits: HubBookingLimits = request.app.state.hub_booking_limits
    client = request.client.host if request.client else "unknown"
    limits.check(client, nik, hub_keys(request).nik)


@router.put("/booking/setup", operation_id="hub_booking_setup", response_model=SetupResult)
async def put_setup(request: Request, branch_id: BranchDep) -> SetupResult:
    try:
        raw = await request.body()
        encoding = request.headers.get("content-encoding", "").strip().lower()
        setup = BookingSetup.model_validate_json(_decode_body(raw, encoding))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise HubRefusalError(ErrorCode.INVALID_INPUT, f"{where}: {first['msg']}") from None
    now = datetime.now(UTC)
    return await _in_transaction(request, lambda s: booking.receive_setup(s, branch_id, setup, now))


@router.get("/booking/feed", operation_id="hub_booking_feed", response_model=HubBookingFeed)
async def get_feed(
    request: Request,
    branch_id: BranchDep,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=booking.FEED_LIMIT)] = booking.FEED_LIMIT,
) -> HubBookingFeed:
    now = datetime.now(UTC)
    return await _in_transaction(request, lambda s: booking.feed(s, branch_id, after, limit, now))


@router.get(
    "/public/services/{service_id}/slots", operation_id="hub_list_slots", response_model=SlotsOut
)
async def slots(request: Request, service_id: int) -> SlotsOut:
    now = datetime.now(UTC)
    return await _in_transaction(request, lambda s: booking.list_slots(s, service_id, now))


@router.post(
    "/public/bookings",
    operation_id="hub_create_booking",
    response_model=BookingCreated,
    status_code=201,
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": {}}}}},
)
async def create(request: Request) -> Response:
    """Book a place of the hub's online share: the hub's hot path (bench/hub_booking.py). The
    body is read and validated by pydantic's own JSON parser, the booking is one statement on
    the event loop (``hub.booking_create``, a psycopg connection of ``hub.pg_pool``: no
    thread, no ORM), and the answer is written straight from the model."""
    body = _validated(BookingCreate, await request.body())
    limit(request, body.nik)
    keys = hub_keys(request)
    now = datetime.now(UTC)
    found = booking.bookable_if_cached(body.service_id)
    if found is None:  # every few seconds per service and process: read in a thread
        found = await _in_transaction(
            request, lambda s: booking.bookable_cached(s, body.service_id)
        )
    prepared = booking_create.Prepared(body, found, keys.nik, now)
    pool: AsyncPgPool = request.app.state.booking_pool
    created = await pool.run(lambda conn: booking_create.create_booking_async(conn, prepared))
    return Response(created.model_dump_json(), status_code=201, media_type="application/json")


M = TypeVar("M", bound=BaseModel)


def _validated(model: type[M], raw: bytes) -> M:
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise HubRefusalError(ErrorCode.INVALID_INPUT, f"{where}: {first['msg']}") from None


@router.get("/public/bookings/{code}", operation_id="hub_get_booking", response_model=BookingOut)
async def get(request: Request, code: str) -> BookingOut:
    view = await _in_transaction(request, lambda s: booking.get_booking(s, code))
    return view.booking


@router.post(
    "/public/bookings/{code}/cancel", operation_id="hub_cancel_booking", response_model=BookingOut
)
async def cancel(request: Request, code: str, body: CancelBookingRequest) -> BookingOut:
    limit(request, body.nik)
    keys = hub_keys(request)
    now = datetime.now(UTC)
    view = await _in_transaction(
        request,
        lambda s: booking.cancel_booking(
            s, code, nik_keys=keys.nik, nik=body.nik, cancel_token=body.cancel_token, now=now
        ),
    )
    return view.booking
