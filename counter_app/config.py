"""Typed settings in one place. Every field can be set as COUNTER_APP_<NAME> in the environment."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("counter-app", appauthor=False))


def default_db_url() -> str:
    return f"sqlite:///{default_data_dir() / 'counter_app.sqlite3'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COUNTER_APP_", extra="ignore")

    db_url: str = Field(default_factory=default_db_url)
    host: str = "127.0.0.1"
    port: int = Field(default=8750, ge=1, le=65535)
    # Bearer tokens of users expire; device tokens (kiosk, display) do not.
    token_ttl_hours: float = Field(default=12.0, gt=0)
    # Largest request body accepted, in bytes.
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # SQLite "synchronous": NORMAL survives a killed process (WAL); FULL also a power cut.
    sqlite_synchronous: str = Field(default="NORMAL", pattern="^(NORMAL|FULL)$")
    # SQLite: run writes on the event loop and commit each loop turn's writes together
    # (store.db.WriteGroup): about twice the tickets a second from one process. ``false``
    # gives each write its own transaction in a worker thread (docs/ARCHITECTURE.md).
    sqlite_group_commit: bool = True
    heartbeat_seconds: float = Field(default=15.0, gt=0)
    idempotency_hours: float = Field(default=24.0, gt=0)
    # How often open tickets of past service days are expired.
    expiry_sweep_seconds: float = Field(default=60.0, gt=0)
    log_level: str = "info"
    # Online booking. The NIK hash key is generated once and kept in the database; setting
    # this instead keeps it out of the database (docs/BOOKING.md). Changing it later makes
    # existing bookings unmatchable by NIK.
    booking_secret: str | None = Field(default=None, min_length=32)
    # Booking and cancelling, per client address and per NIK (token buckets, per process).
    booking_client_per_minute: float = Field(default=10.0, gt=0)
    booking_client_burst: int = Field(default=10, ge=1)
    booking_nik_per_hour: float = Field(default=10.0, gt=0)
    booking_nik_burst: int = Field(default=5, ge=1)
    # Addresses of reverse proxies whose X-Forwarded-For / -Proto are believed (uvicorn's
    # forwarded_allow_ips: comma-separated addresses or networks, "*" for any). The client
    # address they give is what rate limits, booking caps and stream caps count.
    trusted_proxies: str = "127.0.0.1"
    # Serve the interactive API documentation at /docs (its assets come from the package).
    api_docs: bool = False
    # Live public status streams (ticket pages): per client address, and in all.
    public_streams_per_address: int = Field(default=10, ge=1)
    public_streams_total: int = Field(default=5000, ge=1)
    # Anonymous public requests (status pages, slots), per client address: a token bucket.
    public_per_second: float = Field(default=5.0, gt=0)
    public_burst: int = Field(default=30, ge=1)
    # Booking caps (store/booking/caps.py): active bookings per NIK over all services and
    # days (one per service per day is a rule of its own), and bookings made from one
    # address block (IPv4 /24, IPv6 /64) in 24 hours.
    booking_active_per_nik: int = Field(default=3, ge=1)
    booking_per_block_per_day: int = Field(default=20, ge=1)
