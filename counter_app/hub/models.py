"""The hub's tables, in a metadata of their own: a branch database never gets them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

Json = JSON().with_variant(JSONB(), "postgresql")


class HubBase(DeclarativeBase):
    pass


class HubBranch(HubBase):
    __tablename__ = "hub_branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    # SHA-256 of the link key (a random 32-byte secret): shown once, never stored as is.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Live figures, as the branch sent them with its latest push (schemas.hub.BranchFigures).
    waiting: Mapped[int | None] = mapped_column(Integer, nullable=True)
    open_counters: Mapped[int | None] = mapped_column(Integer, nullable=True)
    figures_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class HubEventRow(HubBase):
    __tablename__ = "hub_events"

    branch_id: Mapped[int] = mapped_column(ForeignKey("hub_branches.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    payload: Mapped[dict[str, Any]] = mapped_column(Json)
    hash: Mapped[str] = mapped_column(String(64))


class HubUser(HubBase):
    __tablename__ = "hub_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # "hub_admin" or "regional_supervisor"
    region: Mapped[str | None] = mapped_column(String(100), nullable=True)


class HubToken(HubBase):
    __tablename__ = "hub_tokens"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("hub_users.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- the regional view and reports (hub/reports.py) -------------------------------------------


class HubBranchProfile(HubBase):
    """The branch's set-up as it last sent it (schemas.hub.BranchProfile)."""

    __tablename__ = "hub_branch_profiles"

    branch_id: Mapped[int] = mapped_column(
        ForeignKey("hub_branches.id", ondelete="CASCADE"), primary_key=True
    )
    profile: Mapped[dict[str, Any]] = mapped_column(Json)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HubSurveySums(HubBase):
    """A branch's survey answers of one service day and service: count and U1..U9 sums."""

    __tablename__ = "hub_survey_sums"

    branch_id: Mapped[int] = mapped_column(
        ForeignKey("hub_branches.id", ondelete="CASCADE"), primary_key=True
    )
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    service_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    responses: Mapped[int] = mapped_column(Integer)
    sums: Mapped[list[int]] = mapped_column(Json)


class HubWebKey(HubBase):
    """Secrets shared by every hub process (the web pages' CSRF key), made once."""

    __tablename__ = "hub_web_keys"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)
