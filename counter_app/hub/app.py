"""Build the hub's FastAPI application (``counter-app hub``): PostgreSQL only, no state in the
process, so any number of processes can stand behind one load balancer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from cachetools import TTLCache
from fastapi import FastAPI
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from counter_app import __version__
from counter_app.core.login_guard import LoginGuard
from counter_app.hub import (
    api,
    booking,
    booking_api,
    booking_pages,
    dashboard_stream,
    report_api,
    status_api,
    web,
)
from counter_app.hub.booking_limits import HubBookingLimits
from counter_app.hub.errors import install_error_handlers
from counter_app.hub.keys import load_hub_keys
from counter_app.hub.pg_pool import AsyncPgPool
from counter_app.hub.status_notify import BranchListener
from counter_app.hub.status_streams import (
    StatusBoard,
    StreamCaps,
    session_reader,
    session_regions,
)
from counter_app.hub.store import create_schema
from counter_app.server.gc_policy import settle_after_start
from counter_app.store.db import normalise_url
from counter_app.store.pg_listen import libpq_url

HUB_DB_ENV = "COUNTER_APP_HUB_DB_URL"
log = logging.getLogger(__name__)


def require_postgresql(url: str) -> None:
    """The hub serves many branches from several processes: SQLite cannot do that."""
    backend = make_url(url).get_backend_name()
    if backend != "postgresql":
        raise ValueError(
            f"the hub needs PostgreSQL (--db postgresql://user@host/db), not {backend}: "
            "it runs as several processes receiving every branch's journal"
        )


def create_hub_app(db_url: str) -> FastAPI:
    require_postgresql(db_url)
    engine = create_engine(
        normalise_url(db_url), pool_size=10, max_overflow=10, pool_pre_ping=True, pool_timeout=60
    )
    create_schema(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    # The booking's hot path: psycopg on the event loop (hub.booking_create).
    booking_pool = AsyncPgPool(libpq_url(normalise_url(db_url)))

    status_board = StatusBoard(
        session_reader(sessions), StreamCaps.from_environment(), session_regions(sessions)
    )
    listener = BranchListener(db_url, status_board.wake_threadsafe)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        housekeeping = asyncio.create_task(booking_housekeeping(sessions))
        status_board.start()
        await asyncio.to_thread(listener.start)
        settle_after_start()  # thousands of open status pages: gc_policy
        try:
            yield
        finally:
            await asyncio.to_thread(listener.stop)
            await status_board.close()
            housekeeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await housekeeping
            _app.state.login_guard.pool.shutdown()
            await booking_pool.close()
            engine.dispose()

    app = FastAPI(
        title="counter_app hub",
        version=__version__,
        description="Receives every branch's journal; shows every branch's status.",
        lifespan=lifespan,
    )
    app.state.sessions = sessions
    app.state.booking_pool = booking_pool
    # Link keys seen lately (api.link_branch); a removed branch's key stops within the TTL.
    link_keys: TTLCache[str, int] = TTLCache(maxsize=10_000, ttl=300)
    app.state.link_keys = link_keys
    # Booking from home (docs/HUB.md): the hub's own NIK hash key and the forms' CSRF key.
    app.state.hub_keys = load_hub_keys()
    app.state.hub_booking_limits = HubBookingLimits.from_environment()
    app.state.login_guard = LoginGuard()  # hub.login: throttle, password pool, security log
    app.state.status_board = status_board  # live ticket status streams (hub.status_streams)

    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(report_api.router)  # the regional view (docs/HUB.md)
    app.include_router(web.router)
    app.include_router(booking_api.router)
    app.include_router(booking_pages.router)
    app.include_router(status_api.router)
    app.include_router(dashboard_stream.router)
    return app


async def booking_housekeeping(sessions: sessionmaker[Session]) -> None:
    """Hourly, in every hub process (the UPDATE is idempotent): empty the personal columns
    of bookings whose slot is past the retention (docs/PRIVACY.md "The hub")."""
    while True:
        try:

            def work() -> int:
                with sessions.begin() as session:
                    return booking.anonymise_expired(session, datetime.now(UTC))

            done = await asyncio.to_thread(work)
            if done:
                log.info("hub bookings: %d anonymised after the retention period", done)
        except Exception:  # the database may be away for a moment: try next time
            log.exception("hub bookings: housekeeping failed")
        await asyncio.sleep(booking.HOUSEKEEPING_SECONDS)


def app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory`` in each worker process."""
    return create_hub_app(os.environ[HUB_DB_ENV])
