"""The hub's NIK hash key (docs/PRIVACY.md "The hub"): its own, never a branch's.

``COUNTER_APP_HUB_NIK_KEY`` when set, otherwise the key file ``COUNTER_APP_HUB_NIK_KEY_FILE``
(default ``hub-nik-keys`` in the data directory), made (mode 0600) at the first start. Every
hub process reads the same file; the booking forms' CSRF key is derived from it.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from counter_app.config import default_data_dir
from counter_app.core.nik import NikKeys
from counter_app.store import secrets as store_secrets

HUB_NIK_KEY_ENV = "COUNTER_APP_HUB_NIK_KEY"
HUB_NIK_KEY_FILE_ENV = "COUNTER_APP_HUB_NIK_KEY_FILE"
KEY_FILE_NAME = "hub-nik-keys"


@dataclass(frozen=True)
class HubKeys:
    nik: NikKeys
    form: bytes


def hub_key_path() -> Path:
    configured = os.environ.get(HUB_NIK_KEY_FILE_ENV)
    return Path(configured) if configured else default_data_dir() / KEY_FILE_NAME


def load_hub_keys() -> HubKeys:
    """The keys; the key file is created when missing (safely with processes racing)."""
    text = os.environ.get(HUB_NIK_KEY_ENV)
    if text:
        nik = NikKeys(store_secrets.parse_keys(text))
    else:
        path = hub_key_path()
        found = store_secrets.read_key_file(path)
        if found is None:
            first = secrets.token_bytes(store_secrets.KEY_BYTES)
            found = store_secrets.create_key_file(path, (first,))
        nik = found
    return HubKeys(nik=nik, form=store_secrets.derive(nik.keys[0], "hub-form"))
