"""A simulation profile (TOML): the office file it plays, when the office is open, how citizens
arrive and how long each service takes. The format is described in docs/SIMULATOR.md."""

from __future__ import annotations

import tomllib
from datetime import time
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from counter_app.core.vocabulary import Role
from counter_app.schemas.office_file import OfficeFile

PROFILE_PACKAGE = "counter_app.simulate.profiles"
Share = Annotated[float, Field(ge=0, le=1)]


class ProfileError(Exception):
    """A profile that cannot be used; the message says where and why."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Duration(_Model):
    """A log-normal duration given by its mean and coefficient of variation (spread)."""

    mean: float = Field(gt=0, le=24 * 60)  # minutes
    cv: float = Field(default=0.5, ge=0, le=5)


class Bookings(_Model):
    per_day: int = Field(default=0, ge=0, le=10_000)
    no_show: Share = 0.15  # booked but never checked in


class ServiceProfile(_Model):
    per_hour: float = Field(default=0, ge=0, le=10_000)  # walk-ins at the kiosk, before shape
    service_minutes: Duration
    bookings: Bookings = Field(default_factory=Bookings)
    # After being served, continue (transfer) to another service with these chances.
    next: dict[str, Share] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _next_adds_up(self) -> ServiceProfile:
        if sum(self.next.values()) > 1 + 1e-9:
            raise ValueError("the chances under 'next' add up to more than 1")
        return self


class Officers(_Model):
    walk_to_counter: Duration = Duration(mean=0.75, cv=0.5)  # from the call to the counter
    walk_in_no_show: Share = 0.03  # called but gone: skipped after skip_after_minutes
    skip_after_minutes: float = Field(default=2.0, gt=0, le=60)


class Break(_Model):
    counter: int = Field(ge=1, le=999)
    at: time
    minutes: float = Field(gt=0, le=8 * 60)


class Profile(_Model):
    name: str
    office: str  # the office set-up file, relative to the profile
    branch: str  # the branch's code in that file
    open: time
    close: time
    seed: int = 1
    # Arrival rates are multiplied by these, one per hour from opening (the last repeats).
    hourly_shape: list[Annotated[float, Field(ge=0, le=100)]] = Field(default_factory=lambda: [1.0])
    priority_share: Share = 0.0
    officers: Officers = Field(default_factory=Officers)
    services: dict[str, ServiceProfile] = Field(alias="service", min_length=1)
    breaks: list[Break] = Field(default_factory=list, alias="break")

    @model_validator(mode="after")
    def _consistent(self) -> Profile:
        if self.close <= self.open:
            raise ValueError("'close' must be after 'open'")
        if not self.hourly_shape:
            raise ValueError("'hourly_shape' needs at least one value")
        for prefix, service in self.services.items():
            for target in service.next:
                if target not in self.services:
                    raise ValueError(f"service {prefix}: 'next' names unknown service {target}")
        return self

    @property
    def open_hours(self) -> float:
        return (
            self.close.hour * 60 + self.close.minute - self.open.hour * 60 - self.open.minute
        ) / 60


class LoadedProfile(BaseModel):
    """A profile with its office file read and checked against it."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    profile: Profile
    office: OfficeFile
    office_text: str  # the office file as written (``simulate --show-office`` prints it)
    source: str


def shipped_profiles() -> list[str]:
    folder = resources.files(PROFILE_PACKAGE)
    return sorted(
        p.name.removesuffix(".toml")
        for p in folder.iterdir()
        if p.name.endswith(".toml") and not p.name.endswith("_office.toml")
    )


def _read(name_or_path: str) -> tuple[str, str, Path | None]:
    """(text, where it came from, its folder for relative paths; None for package data)."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise ProfileError(f"no such profile file: {path}")
        return path.read_text(encoding="utf-8"), str(path), path.parent
    if name_or_path not in shipped_profiles():
        raise ProfileError(
            f"no profile named {name_or_path!r}; shipped: {', '.join(shipped_profiles())} "
            "(or give a path to a .toml file)"
        )
    res = resources.files(PROFILE_PACKAGE).joinpath(f"{name_or_path}.toml")
    return res.read_text(encoding="utf-8"), f"profile {name_or_path}", None


def _read_office(name: str, folder: Path | None, source: str) -> tuple[str, str]:
    if folder is None:
        res = resources.files(PROFILE_PACKAGE).joinpath(name)
        if not res.is_file():
            raise ProfileError(f"{source}: its office file {name!r} is not in the package")
        return res.read_text(encoding="utf-8"), name
    path = folder / name
    if not path.is_file():
        raise ProfileError(f"{source}: its office file {path} does not exist")
    return path.read_text(encoding="utf-8"), str(path)


def _describe(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors()[:8]:
        where = ".".join(str(p) for p in err["loc"]) or "(top)"
        lines.append(f"  {where}: {err['msg']}")
    return "\n".join(lines)


def parse_profile(text: str, source: str) -> Profile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{source} is not valid TOML: {exc}") from None
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(f"{source} has errors:\n{_describe(exc)}") from None


def load_profile(name_or_path: str) -> LoadedProfile:
    """A shipped profile by name (``dukcapil``) or a profile file; ``ProfileError`` if unusable."""
    text, source, folder = _read(name_or_path)
    profile = parse_profile(text, source)
    office_text, office_source = _read_office(profile.office, folder, source)
    try:
        office = OfficeFile.model_validate(tomllib.loads(office_text))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{office_source} is not valid TOML: {exc}") from None
    except ValidationError as exc:
        raise ProfileError(f"{office_source} has errors:\n{_describe(exc)}") from None
    check_against_office(profile, office, source)
    return LoadedProfile(profile=profile, office=office, office_text=office_text, source=source)


def check_against_office(profile: Profile, office: OfficeFile, source: str) -> None:
    """Every service, counter and break the profile names exists in its office file."""
    branch = next((b for b in office.branches if b.code == profile.branch), None)
    if branch is None:
        raise ProfileError(f"{source}: the office file has no branch {profile.branch!r}")
    prefixes = {s.prefix for s in branch.services}
    unknown = sorted(set(profile.services) - prefixes)
    if unknown:
        raise ProfileError(f"{source}: the branch has no service {', '.join(unknown)}")
    numbers = {c.number for c in branch.counters}
    if not numbers:
        raise ProfileError(f"{source}: the branch has no counters")
    for item in profile.breaks:
        if item.counter not in numbers:
            raise ProfileError(f"{source}: a break names counter {item.counter}, not in the branch")
    officers = [u for u in branch.users if u.role is Role.OFFICER]
    if len(officers) < len(numbers):
        raise ProfileError(
            f"{source}: the branch needs an officer per counter ({len(numbers)}), "
            f"it has {len(officers)}"
        )
    for prefix, service in profile.services.items():
        entry = next(s for s in branch.services if s.prefix == prefix)
        if service.bookings.per_day and not entry.booking.enabled:
            raise ProfileError(
                f"{source}: service {prefix} has bookings but booking is not enabled for it "
                "in the office file"
            )
