"""Who is asking: a user (officer, supervisor, admin), a device (kiosk, display) or nobody."""

from __future__ import annotations

from dataclasses import dataclass

from counter_app.core.error_codes import ErrorCode
from counter_app.core.errors import AppError, forbidden
from counter_app.core.vocabulary import DeviceKind, Role, role_at_least


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None = None
    username: str | None = None
    role: Role | None = None
    device_id: int | None = None
    device_kind: DeviceKind | None = None
    branch_id: int | None = None  # None for an admin of every branch, or anonymous

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and self.device_id is None

    @property
    def scope(self) -> str:
        """The namespace of this actor's idempotency keys."""
        if self.user_id is not None:
            return f"user:{self.user_id}"
        if self.device_id is not None:
            return f"device:{self.device_id}"
        return "anonymous"

    def require_role(self, needed: Role) -> None:
        if self.is_anonymous:
            raise AppError(ErrorCode.NOT_AUTHENTICATED, "Please log in first.")
        if self.role is None or not role_at_least(self.role, needed):
            raise forbidden(f"This needs the {needed.value} role.")

    def require_branch(self, branch_id: int) -> None:
        """Users and devices of one branch act only within it; an all-branch admin anywhere."""
        if self.branch_id is not None and self.branch_id != branch_id:
            raise forbidden("You can only act within your own branch.", ErrorCode.WRONG_BRANCH)

    def can_issue_tickets(self) -> bool:
        return self.device_kind is DeviceKind.KIOSK or self.role is not None


ANONYMOUS = Actor()
