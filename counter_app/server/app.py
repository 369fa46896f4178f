"""Build the FastAPI application: storage, migrations, event fan-out, routes, housekeeping."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from anyio import to_thread
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from counter_app import __version__
from counter_app.config import Settings
from counter_app.core.ratelimit import RateLimiter
from counter_app.server import errors, openapi
from counter_app.server.api import (
    auth,
    bookings,
    counters,
    devices,
    health,
    office,
    public,
    queue,
    reports,
    sim,
    survey,
    tickets,
    users,
)
from counter_app.server.booking_flow import BookingLimits
from counter_app.server.broker import Broker
from counter_app.server.context import Clock, Services, utc_now
from counter_app.server.gc_policy import settle_after_start
from counter_app.server.https_headers import HttpsHeaders
from counter_app.server.hub_push import HubPusher, with_hub_push
from counter_app.server.keys import load_keys
from counter_app.server.limits import BodySizeLimit
from counter_app.server.log_redaction import install_access_log_redaction
from counter_app.server.login_guard import LoginGuard, LoginThrottle
from counter_app.server.pg_listener import PgListener
from counter_app.server.sim_clock import SimulationClock
from counter_app.server.sweeper import run_forever
from counter_app.server.tokens import TokenCache
from counter_app.server.web import routes as web
from counter_app.store import journal, migrate
from counter_app.store.db import Database

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
    db = Database(settings.db_url, sqlite_synchronous=settings.sqlite_synchronous)
    migrate.upgrade(db.write_engine)
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
    db = open_database(settings, serving=True)
    try:
        keys = load_keys(settings, db, clock())
    except Exception:
        db.dispose()  # a server that cannot start leaves no connections open
        raise
    svc = Services(
        settings=settings,
        db=db,
        tokens=TokenCache(db),
        keys=keys,
        clock=clock,
        simulation=simulation,
    )
    broker = Broker(*_journal_readers(db), heartbeat_seconds=settings.heartbeat_seconds)
    listener = None if db.is_sqlite else PgListener(db.url, broker)
    if db.is_sqlite:
        db.on_commit(broker.publish)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Request handlers run in threads. With SQLite one writes at a time anyway, and on 2
        # cores dozens of threads only fight over the GIL; a smaller pool queues fairly.
        to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
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
            login_guard.pool.shutdown()
            db.dispose()

    app = FastAPI(
        title="counter_app",
        version=__version__,
        description="Queue-calling server: tickets, counters, live events.",
        # The journal's push to the hub (docs/HUB.md), in the background, when a hub is set.
        lifespan=with_hub_push(lifespan, pusher := HubPusher.from_settings(settings, db, clock)),
    )
    app.state.services = svc
    # The journal's push to the hub (docs/HUB.md), in the background, when a hub is set.
    app.state.hub_pusher = pusher
    app.state.broker = broker
    app.state.public_limiter = RateLimiter(rate_per_second=5, burst=30)
    app.state.login_guard = login_guard = LoginGuard(
        by_user=LoginThrottle(free_failures=settings.login_free_failures_per_user),
        by_address=LoginThrottle(free_failures=settings.login_free_failures_per_address),
    )
    app.state.booking_limits = BookingLimits.from_settings(settings)
    errors.install(app)
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
            survey,
            reports,
            bookings,
            users,
        )
    ]
    if simulation is not None:
        routers.append(sim.router)
    for router in routers:
        app.include_router(router)
    web.install(app)
    openapi.install(app, routers)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(HttpsHeaders)
    return app


def app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory`` and for several worker processes."""
    return create_app(Settings())
