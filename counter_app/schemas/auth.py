from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from counter_app.core.vocabulary import DeviceKind, Role
from counter_app.schemas.base import ByValue, Request, Response

Username = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
]
Password = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=False)]
NewPassword = Annotated[
    str, StringConstraints(min_length=8, max_length=200, strip_whitespace=False)
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class LoginRequest(Request):
    username: Username
    password: Password


class UserOut(Response):
    id: int
    username: str
    full_name: str
    role: Role
    branch_id: int | None
    active: bool
    counter_ids: list[int] = Field(default_factory=list)


class LoginResponse(Response):
    token: str
    expires_at: datetime
    user: UserOut


class UserCreate(Request):
    username: Username
    full_name: Annotated[str, StringConstraints(max_length=200)] = ""
    role: Annotated[Role, ByValue]
    branch_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    password: NewPassword
    counter_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default_factory=list, max_length=200
    )


class DeviceCreate(Request):
    branch_id: int = Field(ge=1, le=2**31 - 1)
    kind: Annotated[DeviceKind, ByValue]
    name: Name
    expires_days: int | None = Field(default=None, ge=1, le=3650)  # the token's; None: never


class DeviceCreated(Response):
    id: int
    branch_id: int
    kind: DeviceKind
    name: str
    token: str
    token_expires_at: datetime | None = None


class WhoAmI(Response):
    user: UserOut | None = None
    device_id: int | None = None
    device_kind: DeviceKind | None = None
    branch_id: int | None = None


class PasswordChange(Request):
    """A new password. A user changing their own gives the current one too; an admin
    resetting someone else's does not."""

    new_password: NewPassword
    old_password: Password | None = None
