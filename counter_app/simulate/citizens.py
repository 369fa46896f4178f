"""Citizens only (``counter-app simulate --server URL --citizens-only [--training]``): the
profile's walk-ins take numbers at a kiosk, at real-time speed, and people work the counters.

For training (docs/TRAINING.md): a trainee works a real counter window while the simulator
plays the hall. With ``--training`` the branch is switched to training first, so every number
issued is a training one, kept out of the real day. The simulator never calls a ticket.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from counter_app.client.api import ApiClient
from counter_app.client.errors import ApiError
from counter_app.simulate.generators import arrivals
from counter_app.simulate.office import find_office
from counter_app.simulate.profile import LoadedProfile


def play_citizens(
    kiosk_for: Callable[[ApiClient, int], ApiClient],
    admin: ApiClient,
    loaded: LoadedProfile,
    *,
    hours: float | None,
    training: bool,
    pace: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    say: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Issue the profile's walk-ins for ``hours`` (default: its open hours), ``pace`` times
    faster than real time; returns what was issued. ``admin`` is logged in already."""
    profile = loaded.profile
    office = find_office(admin, loaded)
    if training:
        admin.set_training(office.branch_id, True)
        say(f"{profile.branch}: training on, branch-wide (MODE LATIHAN)")
    kiosk = kiosk_for(admin, office.branch_id)
    open_seconds = (hours if hours is not None else profile.open_hours) * 3600
    rng = random.Random(f"{profile.seed}:citizens")
    issued: dict[str, int] = {}
    refused: dict[str, int] = {}
    began = time.monotonic()
    for arrival in arrivals(rng, profile, open_seconds):
        pause = began + arrival.at_seconds / pace - time.monotonic()
        if pause > 0:
            sleep(pause)
        try:
            ticket = kiosk.issue_ticket(office.service_ids[arrival.service])
        except ApiError as exc:  # e.g. quota_full: the citizen goes home
            refused[exc.code] = refused.get(exc.code, 0) + 1
            continue
        issued[arrival.service] = issued.get(arrival.service, 0) + 1
        say(f"{ticket.number} issued ({'training' if ticket.training else 'real'})")
    return {
        "profile": profile.name,
        "branch": profile.branch,
        "training": training,
        "hours": open_seconds / 3600,
        "issued": issued,
        "refused": refused,
    }
