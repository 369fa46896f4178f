"""Idempotency keys: the first answer to a mutating request is stored in the same transaction
as its effect, and a retry with the same key gets that answer back instead of a second effect.

The key is claimed first thing in the transaction with ``INSERT … ON CONFLICT DO NOTHING``. On
PostgreSQL a concurrent duplicate blocks on the unique index until the first commits, then sees
the conflict and reads the stored answer; on SQLite writers are serialised anyway. A failed
request (4xx) rolls its claim back with everything else, so it is not remembered: retrying it
is harmless and may succeed once the state allows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import invalid
from counter_app.store.models import IdempotencyRecord
from counter_app.store.prepared import Prepared
from counter_app.store.upsert import insert_for

MAX_KEY_LENGTH = 100


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    status_code: int
    body: str


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), b"\0", path.encode(), b"\0", body):
        digest.update(part)
    return digest.hexdigest()


def check_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise invalid(
            ErrorCode.BAD_IDEMPOTENCY_KEY,
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters.",
        )
    return key


def _claim_statement(dialect: str) -> Any:
    insert = insert_for(dialect)
    columns = ("scope", "key", "fingerprint", "status_code", "body", "created_at")
    return (
        insert(IdempotencyRecord)
        .values({name: bindparam(name) for name in columns})
        .on_conflict_do_nothing(index_elements=["scope", "key"])
        .returning(IdempotencyRecord.id)
    )


_CLAIM = Prepared(_claim_statement)
_STORED = Prepared(
    select(
        IdempotencyRecord.fingerprint, IdempotencyRecord.status_code, IdempotencyRecord.body
    ).where(
        IdempotencyRecord.scope == bindparam("scope"), IdempotencyRecord.key == bindparam("key")
    )
)


def claim(
    session: Session, scope: str, key: str, print_: str, now: datetime
) -> tuple[int | None, StoredAnswer | None]:
    """Claim ``key`` for this transaction (its record id), or the answer stored for it earlier."""
    new_id = _CLAIM.scalar(
        session, scope=scope, key=key, fingerprint=print_, status_code=0, body="", created_at=now
    )
    if new_id is not None:
        return int(new_id), None
    stored = _STORED.first(session, scope=scope, key=key)
    assert stored is not None
    fingerprint_, status_code, body = stored
    if fingerprint_ != print_:
        raise invalid(
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            "This Idempotency-Key was already used for a different request.",
        )
    return None, StoredAnswer(int(status_code), str(body))


_REMEMBER = Prepared(
    update(IdempotencyRecord)
    .where(IdempotencyRecord.id == bindparam("record_id"))
    .values(status_code=bindparam("status_code"), body=bindparam("body"))
)


def remember(session: Session, record_id: int, status_code: int, body: str) -> None:
    _REMEMBER.run(session, record_id=record_id, status_code=status_code, body=body)


# The answer can be stored before the transaction's last write: the record claimed for it,
# and once stored, the body (``answer_early`` and ``answered_early``).
_CLAIMED = "idempotency.claimed"
_ANSWERED = "idempotency.answered"


def expect_answer(session: Session, record_id: int, status_code: int) -> None:
    """The transaction claimed ``record_id``; its answer will have ``status_code``."""
    session.info[_CLAIMED] = (record_id, status_code)


def answer_early(session: Session, body: bytes) -> None:
    """Store the answer now, when the operation knows it before its last write.

    On PostgreSQL the journal's append takes the branch's sequence lock and holds it to
    commit (store.journal): an answer stored before it is one round trip less under that
    lock, which every writer of the branch waits for. ``Writer`` stores the final answer
    again only if it differs."""
    claimed = session.info.pop(_CLAIMED, None)
    if claimed is None:
        return
    record_id, status_code = claimed
    remember(session, record_id, status_code, body.decode())
    session.info[_ANSWERED] = body


def answered_early(session: Session) -> bytes | None:
    """The answer ``answer_early`` stored in this transaction, if any."""
    body: bytes | None = session.info.get(_ANSWERED)
    return body


def forget_older_than(session: Session, cutoff: datetime) -> int:
    result = session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
