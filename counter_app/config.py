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
    # Failed logins allowed before growing delays start (core.login_guard): per username,
    # and per client address (more: several officers may share one address behind a NAT).
    login_free_failures_per_user: int = Field(default=5, ge=1, le=1000)
    login_free_failures_per_address: int = Field(default=20, ge=1, le=1_000_000)
    # Largest request body accepted, in bytes.
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # SQLite "synchronous": FULL survives a power cut (each commit reaches the disk before it
    # is answered; group commit makes that one sync per group); NORMAL survives a killed
    # process but a power cut can lose the last commits (docs/DEPLOY.md, "Power cuts").
    sqlite_synchronous: str = Field(default="FULL", pattern="^(NORMAL|FULL)$")
    # SQLite: run writes on the event loop and commit each loop turn's writes together
    # (store.db.WriteGroup): about twice the tickets a second from one process. ``false``
    # gives each write its own transaction in a worker thread (docs/ARCHITECTURE.md).
    sqlite_group_commit: bool = True
    heartbeat_seconds: float = Field(default=15.0, gt=0)
    idempotency_hours: float = Field(default=24.0, gt=0)
    # How often open tickets of past service days are expired.
    expiry_sweep_seconds: float = Field(default=60.0, gt=0)
    log_level: str = "info"
    # Announce the server on the LAN with mDNS/DNS-SD (server/discovery.py), so new stations
    # list it; ``COUNTER_APP_ANNOUNCE=false`` turns it off.
    announce: bool = True
    # HTTPS (docs/DEPLOY.md, docs/SECURITY.md). Either a certificate and key from the office's
    # own certificate authority (PEM files), or ``tls_self_signed``: the server makes its own
    # in ``tls_dir`` (default: the data directory's ``tls``) and stations pin its fingerprint.
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None
    tls_self_signed: bool = False
    tls_dir: Path = Field(default_factory=lambda: default_data_dir() / "tls")
    # The address citizens' phones use to reach this server (ticket QR codes, the demo's
    # kiosk): e.g. http://192.168.1.10:8750. Empty: the demo and ``init`` take this
    # machine's LAN address (counter_app.netaddr), never 127.0.0.1, which no phone reaches.
    public_url: str | None = None
    # Online booking: the secret of the web forms' anti-forgery tokens (generated once and
    # kept in the database when unset). Before the NIK key had its own file the NIK key was
    # derived from it too; that derived key is moved into the key file on first start.
    booking_secret: str | None = Field(default=None, min_length=32)
    # Where the NIK hash keys are kept: a file outside the database (mode 0600), by default
    # beside an SQLite database or in the data directory; ``nik_key`` (COUNTER_APP_NIK_KEY,
    # hex keys separated by commas, the last one current) instead of the file. Never in the
    # database, so never in its backups (docs/PRIVACY.md).
    nik_key_file: Path | None = None
    nik_key: str | None = Field(default=None, min_length=64)
    # Days after its slot that a booking's name and NIK hash are erased (docs/PRIVACY.md).
    booking_retention_days: int = Field(default=30, ge=1, le=3650)
    # Booking and cancelling, per client address and per NIK (token buckets, per process).
    booking_client_per_minute: float = Field(default=10.0, gt=0)
    booking_client_burst: int = Field(default=10, ge=1)
    booking_nik_per_hour: float = Field(default=10.0, gt=0)
    booking_nik_burst: int = Field(default=5, ge=1)
    # Backups (docs/INSTALL.md): where they go (default: "backups" beside the data), the
    # local time of the nightly one in the (first) branch's time zone, how many to keep.
    backup_dir: Path | None = None
    backup_nightly: bool = True
    backup_time: str = Field(default="02:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    backup_keep: int = Field(default=14, ge=1)

    def backups_directory(self) -> Path:
        return self.backup_dir or default_data_dir() / "backups"

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
    # The hub this branch pushes its journal to (docs/HUB.md): its address and this branch's
    # link key (``counter-app hub add-branch``). Both unset: no hub, nothing is pushed.
    hub_url: str | None = None
    hub_key: str | None = Field(default=None, min_length=16)
    # Which branch of this database is pushed (its code); unset: the only (first) branch.
    hub_branch: str | None = None
    # The pusher pushes soon after each commit; it also looks at the journal this often.
    hub_push_seconds: float = Field(default=0.5, gt=0)
    # With nothing new, a push without events (live figures only) at least this often: the
    # hub's dashboard tells a quiet branch from an offline one by its last push's age.
    hub_heartbeat_seconds: float = Field(default=15.0, gt=0)
    # How often the report feed (set-up, survey sums) is read and sent if changed.
    hub_feed_seconds: float = Field(default=30.0, gt=0)
    # Booking from home through the hub (docs/HUB.md): the percentage of each slot's places
    # the hub books online; the branch books the rest itself (its own pages, LAN). 50 by
    # default: half online, half for bookings made at the office or on its LAN.
    hub_online_share: int = Field(default=50, ge=0, le=100)
    # How often the branch pulls the hub's bookings while the link is up.
    hub_pull_seconds: float = Field(default=1.0, gt=0)
