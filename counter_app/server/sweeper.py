"""Housekeeping on a timer: expire tickets left open from past service days, mark bookings
whose check-in has closed as no-shows, erase bookings' personal data once their retention
period is over (docs/PRIVACY.md), forget old idempotency records, take the nightly
backup (``server.nightly``). Safe to run in every
server process at once (row locks, SKIP LOCKED); every change is journaled."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import select

from counter_app.core.actor import ANONYMOUS
from counter_app.server.context import Services
from counter_app.server.nightly import NightlyBackups
from counter_app.store import idempotency
from counter_app.store.booking.expiry import expire_no_shows
from counter_app.store.booking.privacy import anonymise_expired
from counter_app.store.models import Branch
from counter_app.store.tickets.expiry import expire_past_days

log = logging.getLogger(__name__)


def sweep_once(svc: Services) -> int:
    """One round; returns how many tickets and bookings it closed or anonymised."""
    now = svc.clock()
    expired = no_shows = anonymised = 0
    with svc.db.read() as session:
        branch_ids = list(session.scalars(select(Branch.id)))
    for branch_id in branch_ids:
        with svc.db.write() as session:
            branch = session.get(Branch, branch_id)
            if branch is not None:
                expired += expire_past_days(session, branch, now, ANONYMOUS)
        with svc.db.write() as session:
            branch = session.get(Branch, branch_id)
            if branch is not None:
                no_shows += expire_no_shows(session, branch, now, ANONYMOUS)
        with svc.db.write() as session:
            branch = session.get(Branch, branch_id)
            if branch is not None:
                anonymised += anonymise_expired(
                    session, branch, now, svc.settings.booking_retention_days, ANONYMOUS
                )
    with svc.db.write() as session:
        idempotency.forget_older_than(
            session, now - timedelta(hours=svc.settings.idempotency_hours)
        )
    if expired:
        log.info("expired %d tickets left open from earlier days", expired)
    if no_shows:
        log.info("marked %d bookings never checked in as no-shows", no_shows)
    if anonymised:
        log.info("erased the personal data of %d bookings past their retention", anonymised)
    return expired + no_shows + anonymised


async def run_forever(svc: Services) -> None:
    nightly = NightlyBackups(svc.settings, svc.db)
    while True:
        try:
            await asyncio.to_thread(sweep_once, svc)
        except Exception:
            log.exception("housekeeping sweep failed; will retry")
        try:
            await asyncio.to_thread(nightly.tick, svc.clock())
        except Exception:
            log.exception("nightly backup failed; will try again the next night")
        await asyncio.sleep(svc.settings.expiry_sweep_seconds)
