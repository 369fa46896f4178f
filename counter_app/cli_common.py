"""What every ``counter-app`` command module shares: settings from the command line, and
how a refusal is said (a message on stderr, exit status 2)."""

from __future__ import annotations

import argparse
import sys

from counter_app.config import Settings


def settings_from(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if getattr(args, "db", None):
        overrides["db_url"] = args.db
    if getattr(args, "host", None):
        overrides["host"] = args.host
    if getattr(args, "port", None):
        overrides["port"] = args.port
    if getattr(args, "ssl_certfile", None):
        overrides["ssl_certfile"] = args.ssl_certfile
    if getattr(args, "ssl_keyfile", None):
        overrides["ssl_keyfile"] = args.ssl_keyfile
    if getattr(args, "tls", None) == "self-signed":
        overrides["tls_self_signed"] = True
    if getattr(args, "hub", None):
        overrides["hub_url"] = args.hub
    if getattr(args, "hub_key", None):
        overrides["hub_key"] = args.hub_key
    return Settings(**overrides)  # type: ignore[arg-type]


def fail(message: str) -> int:
    print(f"counter-app: {message}", file=sys.stderr)
    return 2
