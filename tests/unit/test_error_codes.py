"""The one enumeration of error codes: complete, used everywhere, documented as it is."""

from __future__ import annotations

import ast
import functools
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from counter_app.client.errors import ApiError
from counter_app.core.error_codes import ERRORS, ErrorCode, parse_code
from counter_app.core.errors import KIND_OF_STATUS, AppError, conflict, forbidden, not_found
from counter_app.server.web.texts import FALLBACK, MESSAGES, message_for

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "counter_app"
# The helpers that raise an error, and where their code argument is.
CODE_ARGUMENT = {"AppError": 0, "conflict": 0, "invalid": 0, "not_found": 0, "forbidden": 1}
HELPER_STATUS = {"conflict": 409, "invalid": 422, "not_found": 404, "forbidden": 403}


def test_every_code_has_an_error_status_and_words_in_both_languages() -> None:
    assert set(ERRORS) == set(ErrorCode)
    assert len(ErrorCode.__members__) == len(ErrorCode)  # no two names for one code
    for code, spec in ERRORS.items():
        assert 400 <= spec.status <= 599, code
        assert spec.status in KIND_OF_STATUS, code
        assert code.value == code.name.lower(), code
        for text in (spec.text_id, spec.text_en):
            assert text.strip() == text and len(text) > 5, (code, text)
        assert spec.text_id != spec.text_en, code


def test_an_error_takes_its_status_and_default_message_from_its_code() -> None:
    error = AppError(ErrorCode.SLOT_FULL)
    assert error.status == 409 and error.message == ERRORS[ErrorCode.SLOT_FULL].text_en
    assert not_found(ErrorCode.PRIORITY_CLASS_NOT_FOUND, 7).message == (
        "No priority_class with id 7."
    )
    assert forbidden("no").code is ErrorCode.FORBIDDEN
    assert conflict(ErrorCode.COUNTER_BUSY, "busy", ticket=3).details == {"ticket": 3}


@functools.cache
def _sources() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in PACKAGE.rglob("*.py")]


def _called(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _member(node: ast.expr) -> ErrorCode | None:
    """The member an expression names, if it is ``ErrorCode.NAME``."""
    if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "ErrorCode":
        return ErrorCode[node.attr]
    return None


def test_every_raise_site_names_a_member_whose_status_fits_the_helper() -> None:
    seen: set[ErrorCode] = set()
    for path, tree in _sources():
        if path.name in ("errors.py", "error_codes.py") and path.parent.name == "core":
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _called(node) not in CODE_ARGUMENT:
                continue
            name = _called(node)
            assert name is not None
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            index = CODE_ARGUMENT[name]
            if len(node.args) <= index:
                assert name == "forbidden", where  # its default code is FORBIDDEN
                continue
            argument = node.args[index]
            assert not isinstance(argument, ast.Constant), f"a bare code string at {where}"
            member = _member(argument)
            if member is None:
                continue  # a code passed on (a variable), checked where it was named
            seen.add(member)
            if name in HELPER_STATUS:
                assert ERRORS[member].status == HELPER_STATUS[name], where
    assert len(seen) > 60


def test_no_code_is_matched_or_sent_as_a_bare_string() -> None:
    """``x.code == "slot_full"`` or ``{"error": "slot_full"}`` would escape the enumeration."""
    codes = {code.value for code in ErrorCode}
    for path, tree in _sources():
        if path.name == "error_codes.py":
            continue
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(isinstance(s, ast.Attribute) and s.attr == "code" for s in sides):
                    literals = [s for s in sides if isinstance(s, ast.Constant)]
                    assert not any(lit.value in codes for lit in literals), where
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "error":
                        assert not isinstance(value, ast.Constant), where


def test_the_web_pages_have_a_text_for_every_code() -> None:
    assert set(MESSAGES) == set(ErrorCode)
    for code in ErrorCode:
        text = message_for(AppError(code, "x", {"reason": "region", "numbers": "3"}))
        assert text and (text != FALLBACK or code is ErrorCode.HTTP_ERROR), code
        assert MESSAGES[code] == ERRORS[code].text_id


def test_the_client_knows_the_codes_and_keeps_new_ones_as_text() -> None:
    known = ApiError.from_response(409, b'{"error": "counter_busy", "message": "Busy."}')
    assert known.code is ErrorCode.COUNTER_BUSY and known.code == "counter_busy"
    newer = ApiError.from_response(409, b'{"error": "brand_new_code", "message": "New."}')
    assert newer.code == "brand_new_code" and not isinstance(newer.code, ErrorCode)
    assert newer.message == "New."
    proxy = ApiError.from_response(502, b"<html>Bad gateway</html>")
    assert proxy.code == "http_502"
    assert parse_code("slot_full") is ErrorCode.SLOT_FULL


def _table_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "api_error_table", ROOT / "scripts" / "api_error_table.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_api_document_lists_exactly_the_codes_of_the_enumeration() -> None:
    script = _table_script()
    document = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
    assert document == script.with_table(document), "run scripts/api_error_table.py"
    for code in ErrorCode:
        assert f"`{code.value}`" in script.table()


@pytest.mark.parametrize("code", [ErrorCode.BAD_IDEMPOTENCY_KEY, ErrorCode.RESUME_POINT_AHEAD])
def test_codes_once_missing_from_the_document_are_there(code: ErrorCode) -> None:
    document = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
    assert f"| {int(ERRORS[code].status)} | `{code.value}` |" in document
