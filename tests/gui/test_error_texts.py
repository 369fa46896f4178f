"""The windows have a text for every error code: the table's English, translated to its
Indonesian by the Qt catalogue."""

from __future__ import annotations

import ast
from pathlib import Path

from counter_app.core.error_codes import ERRORS, ErrorCode
from counter_app.views import messages
from tests.gui.test_translations import CATALOGUE
from tests.gui.test_translations import messages as catalogue_messages

SOURCE = Path(messages.__file__)


def _literal_texts() -> dict[str, str]:
    """``ErrorCode.NAME`` → the English literal given to translate() in views/messages.py."""
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    function = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name == "window_texts"
    )
    table = next(node for node in ast.walk(function) if isinstance(node, ast.Dict))
    found: dict[str, str] = {}
    for key, value in zip(table.keys, table.values, strict=True):
        assert isinstance(key, ast.Attribute) and isinstance(value, ast.Call)
        text = value.args[1]
        assert isinstance(text, ast.Constant) and isinstance(text.value, str)
        found[key.attr] = text.value
    return found


def test_every_code_has_a_window_text_equal_to_the_tables() -> None:
    literals = _literal_texts()
    assert set(literals) == {code.name for code in ErrorCode}
    for code in ErrorCode:
        assert literals[code.name] == ERRORS[code].text_en, code
    assert set(messages.window_texts()) == set(ErrorCode)


def test_the_catalogue_translates_each_window_text_to_the_tables_indonesian() -> None:
    catalogue = catalogue_messages(CATALOGUE)
    for code, spec in ERRORS.items():
        assert catalogue.get(("Messages", spec.text_en)) == spec.text_id, code


def test_describe_shows_the_code_text_and_the_servers_words_for_an_unknown_code() -> None:
    from counter_app.client.errors import ApiError

    known = ApiError(409, "counter_busy", "Busy.")
    assert messages.describe(known) in (
        ERRORS[ErrorCode.COUNTER_BUSY].text_en,
        ERRORS[ErrorCode.COUNTER_BUSY].text_id,
    )
    newer = ApiError(409, "brand_new_code", "Something new.")
    assert "Something new." in messages.describe(newer)
