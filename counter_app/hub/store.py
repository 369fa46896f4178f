"""The hub's storage: branches and their link keys, the journal copies, hub accounts.

Ingest (``ingest``) locks the branch's row first (``SELECT … FOR UPDATE``), so two hub
processes receiving pushes of one branch take turns and the copy stays gap-free; different
branches never wait for each other.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
from sqlalchemy import ColumnElement, Engine, delete, insert, select, text
from sqlalchemy.orm import Session

from counter_app.core.error_codes import ERRORS, ErrorCode
from counter_app.hub import booking_models, booking_status  # booking tables join HubBase
from counter_app.hub.models import HubBase, HubBranch, HubEventRow, HubToken, HubUser
from counter_app.schemas.hub import (
    BranchStatus,
    HubCursor,
    HubEventOut,
    JournalPush,
    PushResult,
    event_hash,
)
from counter_app.store.auth import hash_password, password_matches, token_digest

HUB_ADMIN = "hub_admin"
REGIONAL_SUPERVISOR = "regional_supervisor"
ROLES = (HUB_ADMIN, REGIONAL_SUPERVISOR)
TOKEN_TTL = timedelta(hours=12)
_SCHEMA_LOCK = 0x4855_4221  # advisory lock: hub processes starting together create tables once


class HubRefusalError(Exception):
    """A request the hub turns down: ``code`` and ``message`` go out as the JSON error, with
    the code's status (:data:`ERRORS`) unless ``status`` says otherwise."""

    def __init__(
        self, code: ErrorCode, message: str, *, status: int | None = None, **extra: object
    ) -> None:
        super().__init__(message)
        self.status = status if status is not None else ERRORS[code].status
        self.code = code
        self.message = message
        self.extra = extra


def create_schema(engine: Engine) -> None:
    """Create the hub's tables where missing (idempotent, safe with several processes)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_LOCK})
        HubBase.metadata.create_all(conn)
        for statement in booking_status.INDEXES:  # IF NOT EXISTS: an existing hub's too
            conn.execute(text(statement))
        if conn.dialect.name == "postgresql":
            # Indexes the reports read by (hub/reports.py), added to a hub made before them.
            for statement in REPORT_INDEXES:
                conn.execute(text(statement))
            booking_models.upgrade(conn)  # booking columns added later


REPORT_INDEXES = (
    # A branch's events of tickets of some service days (the reports' period).
    "CREATE INDEX IF NOT EXISTS ix_hub_events_service_day ON hub_events "
    "(branch_id, (payload #>> '{ticket,service_day}'))",
    # Who held each counter when (few rows: one per counter change).
    "CREATE INDEX IF NOT EXISTS ix_hub_events_counter_state ON hub_events (branch_id, seq) "
    "WHERE kind = 'counter.state'",
)


# --- branches and link keys -------------------------------------------------------------------


def new_link_key() -> str:
    return secrets.token_urlsafe(32)


def add_branch(session: Session, name: str, region: str | None) -> tuple[int, str]:
    """A new branch and its link key (returned once; only its hash is kept)."""
    name = name.strip()
    if not name:
        raise HubRefusalError(ErrorCode.INVALID_INPUT, "a branch needs a name")
    key = new_link_key()
    branch = HubBranch(name=name, region=(region or "").strip() or None, key_hash=token_digest(key))
    session.add(branch)
    session.flush()
    return branch.id, key


def branch_for_key(session: Session, key: str) -> int | None:
    return session.scalar(select(HubBranch.id).where(HubBranch.key_hash == token_digest(key)))


def cursor(session: Session, branch_id: int) -> HubCursor:
    hub_seq = int(session.scalar(select(HubBranch.last_seq).where(HubBranch.id == branch_id)) or 0)
    last_hash = None
    if hub_seq:
        last_hash = session.scalar(
            select(HubEventRow.hash).where(
                HubEventRow.branch_id == branch_id, HubEventRow.seq == hub_seq
            )
        )
    return HubCursor(branch_id=branch_id, hub_seq=hub_seq, last_hash=last_hash)


def _check_consecutive(push: JournalPush) -> None:
    for before, after in zip(push.events, push.events[1:], strict=False):
        if after.seq != before.seq + 1:
            raise HubRefusalError(
                ErrorCode.HUB_NOT_CONSECUTIVE,
                f"events must be consecutive; {after.seq} follows {before.seq}",
            )


# The usual push: the events right after what the hub holds. One statement moves the
# branch's cursor (its row lock serialises the branch's pushes) only if it still is where the
# push starts, and inserts the events; no rows means the push overlaps, skips ahead or lost a
# race with another hub process, and ``ingest`` takes the careful path.
_APPEND = """
WITH moved AS (
    UPDATE hub_branches SET
        last_seq = %(last)s,
        last_sync_at = %(now)s,
        waiting = CASE WHEN %(has_figures)s THEN %(waiting)s ELSE waiting END,
        open_counters = CASE WHEN %(has_figures)s THEN %(open_counters)s ELSE open_counters END,
        figures_seq = CASE WHEN %(has_figures)s THEN %(figures_seq)s ELSE figures_seq END
    WHERE id = %(branch)s AND last_seq = %(before)s
      AND NOT (%(has_figures)s AND COALESCE(figures_seq, -1) > %(figures_seq)s)
    RETURNING id
)
INSERT INTO hub_events (branch_id, seq, kind, at, payload, hash)
SELECT moved.id, e.seq, e.kind, e.at, e.payload::jsonb, e.hash
FROM moved, unnest(%(seqs)s::bigint[], %(kinds)s::text[], %(ats)s::timestamptz[],
                   %(payloads)s::text[], %(hashes)s::text[]) AS e(seq, kind, at, payload, hash)
"""


def _append(session: Session, branch_id: int, push: JournalPush, now: datetime) -> bool:
    """The one-statement path (PostgreSQL): ``True`` when it stored the whole push."""
    if not push.events or session.get_bind().dialect.name != "postgresql":
        return False
    canonical = [orjson.dumps(e.payload, option=orjson.OPT_SORT_KEYS) for e in push.events]
    figures = push.figures
    params = {
        "branch": branch_id,
        "before": push.events[0].seq - 1,
        "last": push.events[-1].seq,
        "now": now,
        # Older figures (a stale retry) leave the newer ones in place: then the careful path.
        "has_figures": figures is not None,
        "waiting": figures.waiting if figures else None,
        "open_counters": figures.open_counters if figures else None,
        "figures_seq": figures.seq if figures else 0,
        "seqs": [e.seq for e in push.events],
        "kinds": [e.kind for e in push.events],
        "ats": [e.at for e in push.events],
        "payloads": [c.decode() for c in canonical],
        "hashes": [hashlib.sha256(c).hexdigest() for c in canonical],
    }
    # The driver's own statement (no SQL compilation), through SQLAlchemy all the same: a
    # lost connection is then noticed, and the pool replaces it.
    stored = session.connection().exec_driver_sql(_APPEND, params).rowcount
    return bool(stored == len(push.events))


def ingest(session: Session, branch_id: int, push: JournalPush, now: datetime) -> PushResult:
    """Store the events the hub does not have yet. Events it already holds are compared by
    hash: equal ones are ignored (a repeated or overlapping push), a different one is refused
    (``hub_history_conflict``). A first event past ``hub_seq + 1`` is a gap (``hub_gap``)."""
    _check_consecutive(push)
    if _append(session, branch_id, push, now):
        return PushResult(hub_seq=push.events[-1].seq, accepted=len(push.events))
    branch = session.scalars(
        select(HubBranch).where(HubBranch.id == branch_id).with_for_update()
    ).one()
    hub_seq = branch.last_seq
    fresh = []
    if push.events:
        first, last = push.events[0].seq, push.events[-1].seq
        if first > hub_seq + 1:
            raise HubRefusalError(
                ErrorCode.HUB_GAP,
                f"the hub holds this branch's journal up to {hub_seq}; "
                f"send from {hub_seq + 1}, not {first}",
                hub_seq=hub_seq,
            )
        if first <= hub_seq:
            held: dict[int, str] = {
                int(seq): str(digest)
                for seq, digest in session.execute(
                    select(HubEventRow.seq, HubEventRow.hash).where(
                        HubEventRow.branch_id == branch_id,
                        HubEventRow.seq.between(first, min(last, hub_seq)),
                    )
                )
            }
            for event in push.events:
                if event.seq <= hub_seq and held.get(event.seq) != event_hash(event.payload):
                    raise HubRefusalError(
                        ErrorCode.HUB_HISTORY_CONFLICT,
                        f"the hub already holds event {event.seq} of this branch with other "
                        "content: this branch's journal is not the one the hub received "
                        "(restored from an older backup?). Nothing was merged.",
                        hub_seq=hub_seq,
                        seq=event.seq,
                    )
        fresh = [event for event in push.events if event.seq > hub_seq]
        if fresh:
            session.execute(
                insert(HubEventRow),
                [
                    {
                        "branch_id": branch_id,
                        "seq": event.seq,
                        "kind": event.kind,
                        "at": event.at,
                        "payload": event.payload,
                        "hash": event_hash(event.payload),
                    }
                    for event in fresh
                ],
            )
            branch.last_seq = last
    figures = push.figures
    if figures is not None and (branch.figures_seq is None or figures.seq >= branch.figures_seq):
        branch.waiting = figures.waiting
        branch.open_counters = figures.open_counters
        branch.figures_seq = figures.seq
    branch.last_sync_at = now
    return PushResult(hub_seq=branch.last_seq, accepted=len(fresh))


# --- accounts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HubActor:
    user_id: int
    role: str
    region: str | None


def add_user(
    session: Session, username: str, password: str, role: str, region: str | None = None
) -> int:
    if role not in ROLES:
        raise HubRefusalError(ErrorCode.INVALID_INPUT, f"role must be one of {', '.join(ROLES)}")
    if role == REGIONAL_SUPERVISOR and not region:
        raise HubRefusalError(ErrorCode.INVALID_INPUT, "a regional supervisor needs a region")
    if session.scalar(select(HubUser.id).where(HubUser.username == username)) is not None:
        raise HubRefusalError(ErrorCode.USERNAME_TAKEN, f"the hub already has a user {username!r}")
    user = HubUser(
        username=username,
        password_hash=hash_password(password),
        role=role,
        region=region if role == REGIONAL_SUPERVISOR else None,
    )
    session.add(user)
    session.flush()
    return user.id


def has_admin(session: Session) -> bool:
    return session.scalar(select(HubUser.id).where(HubUser.role == HUB_ADMIN).limit(1)) is not None


def login(session: Session, username: str, password: str, now: datetime) -> tuple[str, HubUser]:
    user = session.scalars(select(HubUser).where(HubUser.username == username)).first()
    if user is None or not password_matches(user.password_hash, password):
        raise HubRefusalError(ErrorCode.BAD_CREDENTIALS, "wrong username or password")
    token = secrets.token_urlsafe(32)
    session.execute(delete(HubToken).where(HubToken.expires_at < now))
    session.add(HubToken(digest=token_digest(token), user_id=user.id, expires_at=now + TOKEN_TTL))
    return token, user


def actor_for_token(session: Session, token: str, now: datetime) -> HubActor | None:
    row = session.execute(
        select(HubUser.id, HubUser.role, HubUser.region)
        .join(HubToken, HubToken.user_id == HubUser.id)
        .where(HubToken.digest == token_digest(token), HubToken.expires_at > now)
    ).first()
    return None if row is None else HubActor(int(row[0]), str(row[1]), row[2])


# --- reading ----------------------------------------------------------------------------------


def _visible(actor: HubActor) -> list[ColumnElement[bool]]:
    if actor.role == HUB_ADMIN:
        return []
    return [HubBranch.region == actor.region]


def branch_status(session: Session, actor: HubActor) -> list[BranchStatus]:
    """Every branch the actor may see: a hub admin all, a regional supervisor their region."""
    rows = session.scalars(
        select(HubBranch).where(*_visible(actor)).order_by(HubBranch.name, HubBranch.id)
    )
    return [
        BranchStatus(
            id=b.id,
            name=b.name,
            region=b.region,
            hub_seq=b.last_seq,
            last_sync_at=b.last_sync_at,
            waiting=b.waiting,
            open_counters=b.open_counters,
            figures_seq=b.figures_seq,
        )
        for b in rows
    ]


def branch_events(
    session: Session, actor: HubActor, branch_id: int, after: int, limit: int
) -> Sequence[HubEventOut]:
    visible = session.scalar(
        select(HubBranch.id).where(HubBranch.id == branch_id, *_visible(actor))
    )
    if visible is None:
        raise HubRefusalError(ErrorCode.BRANCH_NOT_FOUND, f"no branch {branch_id} here")
    rows = session.scalars(
        select(HubEventRow)
        .where(HubEventRow.branch_id == branch_id, HubEventRow.seq > after)
        .order_by(HubEventRow.seq)
        .limit(limit)
    )
    return [
        HubEventOut(seq=r.seq, kind=r.kind, at=r.at, payload=r.payload, hash=r.hash) for r in rows
    ]
