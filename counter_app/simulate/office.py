"""The office as the server has it, found by the profile's branch code: ids by prefix and
number, and who works at which counter. A mismatch with the profile is a clear error."""

from __future__ import annotations

from dataclasses import dataclass

from counter_app.client.api import ApiClient
from counter_app.core.vocabulary import Role
from counter_app.simulate.profile import LoadedProfile, ProfileError


@dataclass(frozen=True)
class ServerOffice:
    branch_id: int
    timezone: str
    service_ids: dict[str, int]  # prefix -> id
    default_seconds: dict[str, float]  # prefix -> configured default service time
    counter_ids: dict[int, int]  # number -> id
    counter_services: dict[int, frozenset[str]]  # number -> prefixes it serves
    priority_class_ids: list[int]
    officers: dict[int, str]  # counter number -> username of its officer

    def counters_serving(self, prefix: str) -> list[int]:
        return sorted(n for n, s in self.counter_services.items() if prefix in s)


def officer_for_counters(loaded: LoadedProfile) -> dict[int, str]:
    """One officer per counter from the office file: one assigned to it, else a free one."""
    branch = next(b for b in loaded.office.branches if b.code == loaded.profile.branch)
    officers = [u for u in branch.users if u.role is Role.OFFICER]
    taken: dict[int, str] = {}
    used: set[str] = set()
    numbers = sorted(c.number for c in branch.counters)
    for number in numbers:
        for user in officers:
            if user.username not in used and number in user.counters:
                taken[number] = user.username
                used.add(user.username)
                break
    for number in numbers:
        if number in taken:
            continue
        free = next((u for u in officers if u.username not in used and not u.counters), None)
        if free is None:
            raise ProfileError(f"{loaded.source}: no officer may open counter {number}")
        taken[number] = free.username
        used.add(free.username)
    return taken


def find_office(admin: ApiClient, loaded: LoadedProfile) -> ServerOffice:
    profile = loaded.profile
    branch = next((b for b in admin.list_branches() if b.code == profile.branch), None)
    if branch is None:
        raise ProfileError(
            f"the server has no branch {profile.branch!r}; apply the profile's office file "
            f"({profile.office}) with `counter-app setup` first"
        )
    services = {s.prefix: s for s in admin.list_services(branch.id) if s.active}
    missing = sorted(set(profile.services) - set(services))
    if missing:
        raise ProfileError(f"branch {branch.code} on the server has no service {missing}")
    by_id = {s.id: s.prefix for s in services.values()}
    counters = admin.list_counters(branch.id)
    wanted = officer_for_counters(loaded)
    absent = sorted(set(wanted) - {c.number for c in counters})
    if absent:
        raise ProfileError(f"branch {branch.code} on the server has no counter {absent}")
    counters = [c for c in counters if c.number in wanted]
    return ServerOffice(
        branch_id=branch.id,
        timezone=branch.timezone,
        service_ids={p: s.id for p, s in services.items()},
        default_seconds={p: float(s.default_service_seconds) for p, s in services.items()},
        counter_ids={c.number: c.id for c in counters},
        counter_services={
            c.number: frozenset(by_id[i] for i in c.service_ids if i in by_id) for c in counters
        },
        priority_class_ids=[p.id for p in admin.list_priority_classes(branch.id)],
        officers=wanted,
    )
