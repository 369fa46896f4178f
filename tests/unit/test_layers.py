"""The floors of the architecture, checked on the source: who may import whom, and no cycles.

core ← schemas ← store ← server;  core ← schemas ← client ← views;  audio/hardware use core;
core ← schemas ← export (CSV/XLSX documents), used by server and views.
core, schemas, store, server and client never import Qt; server never imports client or views.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "counter_app"
ROOT = PACKAGE.parent
QT = ("PySide6", "shiboken6")
WEB = ("fastapi", "starlette", "uvicorn")
DB = ("sqlalchemy", "alembic", "psycopg", "psycopg_pool")
HTTP_CLIENT = ("requests", "httpx")
ALL_FLOORS = (
    "schemas",
    "store",
    "server",
    "client",
    "views",
    "audio",
    "hardware",
    "cli",
    "export",
    "simulate",
    "hub",
)

# floor -> (libraries it must not import, counter_app floors it must not import)
RULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "core": (QT + WEB + DB + HTTP_CLIENT + ("pydantic",), ALL_FLOORS),
    "schemas": (QT + WEB + DB + HTTP_CLIENT, ALL_FLOORS[1:]),
    "store": (
        QT + WEB + HTTP_CLIENT,
        ("server", "client", "views", "audio", "hardware", "cli", "export", "simulate", "hub"),
    ),
    "server": (
        QT + HTTP_CLIENT,
        ("client", "views", "audio", "hardware", "cli", "simulate", "hub"),
    ),
    "client": (
        QT + WEB + DB,
        ("store", "server", "views", "audio", "hardware", "cli", "export", "simulate"),
    ),
    "export": (
        QT + WEB + DB + HTTP_CLIENT,
        ("store", "server", "client", "views", "audio", "hardware", "cli"),
    ),
    "audio": (WEB + DB, ("store", "server", "views", "cli", "export")),
    "hardware": (WEB + DB, ("store", "server", "views", "cli", "export")),
    "views": (WEB + DB, ("store", "server", "cli")),
    # The simulator is a client of the server; only its throw-away server set-up reaches in.
    "simulate": (QT, ("views", "audio", "hardware", "cli", "hub")),
    # The hub is a server of its own: it shares the domain, the wire models and the store's
    # database helpers, never a branch server's routes or anything of the stations.
    "hub": (QT, ("server", "client", "views", "audio", "hardware", "cli", "simulate")),
}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path = ROOT) -> Iterator[tuple[str, bool]]:
    """(imported module, at module level?) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = set(map(id, tree.body))
    base = module_name(path, root).split(".")
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, id(node) in top_level
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base if is_package else base[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                target = ".".join([*anchor, node.module] if node.module else anchor)
            else:
                target = node.module or ""
            yield target, id(node) in top_level


def sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


# Modules of a banned floor a floor may still import: the hub serves the citizens' pages with
# the branch's templates, texts and CSRF tokens, and settles the garbage collector as the
# branch server does (pure modules: no routes, no branch state).
SHARED: dict[str, frozenset[str]] = {
    "hub": frozenset(
        {
            "counter_app.server.web.render",
            "counter_app.server.web.texts",
            "counter_app.server.web.csrf",
            "counter_app.server.web",
            "counter_app.server.security_headers",
            "counter_app.server.gc_policy",
        }
    ),
}


def offences(floor: str, paths: list[Path], root: Path = ROOT) -> list[str]:
    banned_libs, banned_floors = RULES[floor]
    shared = SHARED.get(floor, frozenset())
    found = []
    for path in paths:
        name = module_name(path, root)
        if not name.startswith(f"counter_app.{floor}"):
            continue
        for target, _ in imports_of(path, root):
            parts = target.split(".")
            if target in shared:
                continue
            if parts[0] in banned_libs or (
                parts[0] == "counter_app" and len(parts) > 1 and parts[1] in banned_floors
            ):
                found.append(f"{name} imports {target}")
    return found


@pytest.mark.parametrize("floor", sorted(RULES))
def test_floor_imports_only_what_it_may(floor: str) -> None:
    assert offences(floor, sources()) == []


def test_the_checker_notices_offences(tmp_path: Path) -> None:
    """A rule that cannot fail is no rule: plant offences in a scratch tree and see them caught."""
    core = tmp_path / "counter_app" / "core"
    core.mkdir(parents=True)
    bad = core / "bad.py"
    bad.write_text("from PySide6 import QtCore\nfrom ..store import db\nimport sqlalchemy\n")
    assert offences("core", [bad], tmp_path) == [
        "counter_app.core.bad imports PySide6",
        "counter_app.core.bad imports counter_app.store",
        "counter_app.core.bad imports sqlalchemy",
    ]


def module_graph() -> dict[str, set[str]]:
    names = {module_name(p) for p in sources()}
    graph: dict[str, set[str]] = {}
    for path in sources():
        own = module_name(path)
        deps = set()
        for target, top in imports_of(path):
            if not top:
                continue  # an import inside a function is deliberate late binding
            found = target
            while found and found not in names:
                found = found.rpartition(".")[0]
            if found and found != own and not own.startswith(found + "."):
                deps.add(found)
        graph[own] = deps
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                cycles.append([*trail[trail.index(dep) :], dep])
            elif dep not in state:
                visit(dep, [*trail, dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return cycles


def test_no_import_cycles_between_modules() -> None:
    assert find_cycles(module_graph()) == []


def test_cycle_finder_finds_a_cycle() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
