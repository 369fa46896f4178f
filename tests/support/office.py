"""The demo office, loaded into a test database with a known password."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from argon2 import PasswordHasher
from sqlalchemy import select, update

from counter_app.config import Settings
from counter_app.core.actor import Actor
from counter_app.core.vocabulary import Role
from counter_app.schemas.office_file import OfficeFile
from counter_app.server.app import open_database
from counter_app.store.models import Counter, Service, User
from counter_app.store.office import add_admin
from counter_app.store.office_file import apply_office

PASSWORD = "test-password-1"
# The product hashes with argon2's default cost (tens of milliseconds on purpose, close to a
# second on a busy 2-core test machine), and a login verifies with the cost written in the
# stored hash. The test office stores a cheap argon2id hash of the same password, so the
# hundreds of logins in the tests check the password for real but no longer dominate them.
CHEAP_PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


@dataclass
class Office:
    branch_id: int
    services: dict[str, int]  # prefix -> id
    counters: dict[int, int]  # number -> id
    kiosk_token: str
    display_token: str


def load_demo_office(db_url: str) -> Office:
    text = (
        resources.files("counter_app.resources")
        .joinpath("demo_office.toml")
        .read_text(encoding="utf-8")
    )
    data = OfficeFile.model_validate(tomllib.loads(text))
    db = open_database(Settings(db_url=db_url))
    try:
        with db.write() as session:
            report = apply_office(
                session,
                data,
                Actor(username="setup", role=Role.ADMIN),
                datetime.now(UTC),
                lambda _u, _e: PASSWORD,
            )
            add_admin(session, "admin", PASSWORD, datetime.now(UTC))
            session.execute(update(User).values(password_hash=CHEAP_PASSWORD_HASH))
            branch_id = report.branch_ids["demo"]
            services = {
                s.prefix: s.id
                for s in session.scalars(select(Service).where(Service.branch_id == branch_id))
            }
            counters = {
                c.number: c.id
                for c in session.scalars(select(Counter).where(Counter.branch_id == branch_id))
            }
    finally:
        db.dispose()
    return Office(
        branch_id=branch_id,
        services=services,
        counters=counters,
        kiosk_token=report.device_tokens["Kiosk lobi"],
        display_token=report.device_tokens["TV ruang tunggu"],
    )
