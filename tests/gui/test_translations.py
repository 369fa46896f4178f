"""The Indonesian catalogue: complete, in step with the sources, placeholders intact."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "resources" / "translations" / "counter_app_id.ts"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")

Messages = dict[tuple[str, str], str | None]


def messages(path: Path) -> Messages:
    """(context, English source) → Indonesian text, or None where it is unfinished."""
    found: Messages = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            done = translation is not None and translation.get("type") is None
            text = translation.text if done and translation is not None else None
            found[(name, message.findtext("source", ""))] = text
    return found


def test_every_text_is_translated_with_its_placeholders() -> None:
    catalogue = messages(CATALOGUE)
    assert len(catalogue) > 50
    untranslated = [key for key, text in catalogue.items() if not text]
    assert untranslated == []
    for (context, source), text in catalogue.items():
        assert text is not None
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (
            context,
            source,
            text,
        )
    assert catalogue[("Actions", "Call next")] == "Panggil berikutnya"
    assert catalogue[("Actions", "Return to queue")] == "Kembalikan ke antrean"


def test_the_catalogue_has_exactly_the_texts_of_the_sources(tmp_path: Path) -> None:
    """A new tr() text without a translation, or a stale one, fails here: run
    ``scripts/build_translations.py --update`` and translate what it marks unfinished."""
    fresh = tmp_path / "fresh_id.ts"
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    sources = ROOT / "counter_app" / "views"
    command = [str(lupdate), "-extensions", "py", "-silent", str(sources), "-ts", str(fresh)]
    subprocess.run(command, check=True, timeout=60)
    assert sorted(messages(fresh)) == sorted(messages(CATALOGUE))
