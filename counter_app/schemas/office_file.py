"""The office set-up file (TOML) as typed data; see docs/SETUP.md for a full example."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from counter_app.core.vocabulary import DeviceKind, Role
from counter_app.schemas.auth import Username
from counter_app.schemas.base import ByValue, Request
from counter_app.schemas.office import (
    BookingSettings,
    BranchCreate,
    Code,
    HolidayCreate,
    Name,
    Prefix,
)


class ServiceEntry(Request):
    prefix: Prefix
    name: Name
    position: int = Field(default=0, ge=0, le=1000)
    default_service_seconds: int = Field(default=300, ge=10, le=4 * 3600)
    target_wait_minutes: int = Field(default=30, ge=1, le=24 * 60)
    no_show_recall_minutes: int = Field(default=30, ge=0, le=24 * 60)
    daily_quota: int | None = Field(default=None, ge=1, le=100_000)
    booking: BookingSettings = Field(default_factory=BookingSettings)


class CounterEntry(Request):
    number: int = Field(ge=1, le=999)
    name: Annotated[str, StringConstraints(max_length=100)] = ""
    services: list[Prefix] = Field(min_length=1)


class PriorityClassEntry(Request):
    code: Code
    name: Name


class UserEntry(Request):
    username: Username
    full_name: Annotated[str, StringConstraints(max_length=200)] = ""
    role: Annotated[Role, ByValue] = Role.OFFICER
    # The name of an environment variable holding the password; never the password itself.
    password_env: Annotated[str, StringConstraints(pattern=r"^[A-Z_][A-Z0-9_]*$")] | None = None
    counters: list[int] = Field(default_factory=list)


class DeviceEntry(Request):
    kind: Annotated[DeviceKind, ByValue]
    name: Name


class HolidayEntry(HolidayCreate):
    pass


class BranchEntry(BranchCreate):
    services: list[ServiceEntry] = Field(default_factory=list, alias="service")
    counters: list[CounterEntry] = Field(default_factory=list, alias="counter")
    priority_classes: list[PriorityClassEntry] = Field(default_factory=list, alias="priority_class")
    users: list[UserEntry] = Field(default_factory=list, alias="user")
    devices: list[DeviceEntry] = Field(default_factory=list, alias="device")
    holidays: list[HolidayEntry] = Field(default_factory=list, alias="holiday")


class OfficeFile(Request):
    branches: list[BranchEntry] = Field(alias="branch", min_length=1)
