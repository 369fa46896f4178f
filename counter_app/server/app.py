"""Build the FastAPI application: storage, migrations, event fan-out, routes, housekeeping."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from anyio import to_thread
from fastapi import APIRouter, FastAPI
from sqlalchemy.engine import make_url

from counter_app import __version__
from counter_app.config import Settings
from counter_app.core.login_guard import LoginGuard, LoginThrottle
from counter_app.core.ratelimit import RateLimiter
from counter_app.server import errors, openapi
from counter_app.server.api import (
    auth,
    bookings,
    counters,
    devices,
    health,
    office,
    pairing,
    public,
    queue,
    reports,
    staffing,
    survey,
    tickets,
    training,
    users,
)
from counter_app.server.booking_flow import BookingLimits
from counter_app.server.broker import Broker
from counter_app.server.context import Clock, Services, utc_now
from counter_app.server.gc_policy import settle_after_start
from counter_app.server.https_headers import HttpsHeaders
from counter_app.server.keys import load_keys
from counter_app.server.limits import BodySizeLimit
from counter_app.server.log_redaction import install_access_log_redaction
from counter_app.server.pg_listener import PgListener
from counter_app.server.public_streams import StatusBoard
from counter_app.server.security_headers import SecurityHeaders
from counter_app.server.sim_clock import SimulationClock
from counter_app.server.sweeper import run_forever
from counter_app.server.tokens import TokenCache
from counter_app.server.web import routes as web
from counter_app.store import journal, migrate
from counter_app.store.db import Database
from counter_app.store.server_lock import SERVER_APPLICATION_NAME, ServerLock, sqlite_path

if TYPE_CHECKING:
    from counter_app.server.hub_push import HubPusher, Lifespan

log = logging.getLogger(__name__)
WORKER_THREADS = 12


def ensure_sqlite_dir(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def open_database(settings: Settings, *, serving: bool = False) -> Database:
    """The migrated database; ``serving``: for the server, which checkpoints SQLite's log
    from a thread of its own (``store.db.Checkpointer``) once the migrations are done."""
    ensure_sqlite_dir(settings.db_url)
    db = Database(
        settings.db_url,
        sqlite_synchronous=settings.sqlite_synchronous,
        application_name=SERVER_APPLICATION_NAME if serving else None,
    )
    try:
        migrate.upgrade(db.write_engine)
    except BaseException:
        db.dispose()  # a refused (newer) schema leaves no connection open
        raise
    if serving:
        db.checkpoint_in_background()
        if settings.sqlite_group_commit:
            db.group_commit()
    return db


def _journal_readers(db: Database) -> tuple[Any, Any]:
    def read_gap(branch_id: int, after: int, up_to: int) -> Sequence[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        with db.read() as session:
            while True:
                page = journal.events_between(session, branch_id, after, up_to, limit=1000)
                found.extend(page)
                if len(page) < 1000:
                    return found
                after = int(page[-1]["seq"])

    def read_last_seq(branch_id: int) -> int:
        with db.read() as session:
            return journal.last_seq(session, branch_id)

    return read_gap, read_last_seq


def _services(settings: Settings, clock: Clock, simulation: SimulationClock | None) -> Services:
    """The database (migrated) and what every route shares."""
    db = open_database(settings, serving=True)
    try:
        keys = load_keys(settings, db, clock())
    except Exception:
        db.dispose()  # a server that cannot start leaves no connections open
        raise
    return Services(
        settings=settings,
        db=db,
        tokens=TokenCache(db),
        keys=keys,
        clock=clock,
        simulation=simulation,
    )


def _routers(simulation: SimulationClock | None) -> list[APIRouter]:
    # Routes are matched in this order: the busiest first (a counter calling and finishing,
    # a kiosk issuing). No path of one router matches a path of another, so the order only
    # changes how many patterns a request is tried against.
    routers = [
        module.router
        for module in (
            tickets,
            counters,
            health,
            auth,
            office,
            queue,
            public,
            devices,
            pairing,
            survey,
            reports,
            bookings,
            users,
            training,
            staffing,
        )
    ]
    if simulation is not None:
        # Loaded only for a simulation: a real office's server never imports it.
        from counter_app.server.api import sim

        routers.append(sim.router)
    return routers


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock = utc_now,
    sweep: bool = True,
    simulation: SimulationClock | None = None,
) -> FastAPI:
    """``simulation``: run on this simulated clock (instead of ``clock``) and offer
    ``/api/v1/sim/clock``; the caller has checked ``sim_clock.simulation_refusal``."""
    settings = settings or Settings()
    if simulation is not None:
        clock = simulation
    svc = _services(settings, clock, simulation)
    db = svc.db
    broker = Broker(*_journal_readers(db), heartbeat_seconds=settings.heartbeat_seconds)
    listener = None if db.is_sqlite else PgListener(db.url, broker)
    if db.is_sqlite:
        db.on_commit(broker.publish)
    database_file = sqlite_path(db.url)
    server_lock = ServerLock(database_file) if database_file is not None else None

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Request handlers run in threads. With SQLite one writes at a time anyway, and on 2
        # cores dozens of threads only fight over the GIL; a smaller pool queues fairly.
        to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        # Marks the SQLite file as in use, so `counter-app restore` refuses to replace it.
        if server_lock is not None and not server_lock.acquire():
            log.warning("another server process is using %s", database_file)
        await broker.start()
        if listener is not None:
            await asyncio.to_thread(listener.start)
        sweeper = asyncio.create_task(run_forever(svc)) if sweep else None
        settle_after_start()  # the garbage collector's settings: gc_policy
        install_access_log_redaction()  # worker processes set up uvicorn's logging first
        try:
            yield
        finally:
            if sweeper is not None:
                sweeper.cancel()
            if listener is not None:
                await asyncio.to_thread(listener.stop)
            await broker.stop()
            await status_board.close()
            login_guard.pool.shutdown()
            db.dispose()
            if server_lock is not None:
                server_lock.release()

    app = FastAPI(
        title="counter_app",
        version=__version__,
        description="Queue-calling server: tickets, counters, live events.",
        # The journal's push to the hub and the pull of its bookings (docs/HUB.md), in the
        # background, when a hub is set.
        lifespan=(linked := _with_hub(lifespan, settings, db, clock))[0],
        docs_url=None,  # api_docs.install, where enabled: assets from the package, no CDN
        redoc_url=None,
    )
    app.state.services = svc
    app.state.hub_pusher = linked[1]
    app.state.broker = broker
    app.state.status_board = status_board = StatusBoard(
        broker,
        public.status_reader(svc),
        per_address=settings.public_streams_per_address,
        total=settings.public_streams_total,
    )
    app.state.public_limiter = RateLimiter(
        rate_per_second=settings.public_per_second, burst=settings.public_burst
    )
    app.state.login_guard = login_guard = LoginGuard(
        by_user=LoginThrottle(free_failures=settings.login_free_failures_per_user),
        by_address=LoginThrottle(free_failures=settings.login_free_failures_per_address),
    )
    app.state.booking_limits = BookingLimits.from_settings(settings)
    errors.install(app)
    _install_routes(app, settings, simulation)
    return app


def _with_hub(
    lifespan: Lifespan, settings: Settings, db: Database, clock: Clock
) -> tuple[Lifespan, HubPusher | None]:
    """``lifespan`` with the hub's pusher and puller running, and the pusher (health shows
    it); unchanged without a hub, whose modules are then never loaded."""
    if not (settings.hub_url and settings.hub_key):
        return lifespan, None
    from counter_app.server.hub_pull import HubPuller
    from counter_app.server.hub_push import HubPusher, with_background

    pusher = HubPusher.from_settings(settings, db, clock)
    puller = HubPuller.from_settings(settings, db, clock)  # booking from home through the hub
    pushing = with_background(lifespan, pusher.run if pusher else None)
    return with_background(pushing, puller.run if puller else None), pusher


def _install_routes(app: FastAPI, settings: Settings, simulation: SimulationClock | None) -> None:
    """The API, the citizens' pages, the documentation (where on) and the middleware."""
    routers = _routers(simulation)
    for router in routers:
        app.include_router(router)
    web.install(app)
    openapi.install(app, routers)
    if settings.api_docs:
        # Off by default; Swagger UI's files come with the [apidocs] extra (docs/INSTALL.md).
        from counter_app.server import api_docs

        api_docs.install(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(HttpsHeaders)
    app.add_middleware(SecurityHeaders)


def app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory`` and for several worker processes."""
    return create_app(Settings())
