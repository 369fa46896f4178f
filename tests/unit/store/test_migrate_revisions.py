"""The migration scripts' revisions, read from their headers without Alembic (for a fast
start), are exactly what Alembic reads from them."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from counter_app.store.migrate import alembic_config, head_revision, script_revisions


def test_revisions_read_from_the_scripts_match_alembic() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    expected = {script.revision: script.down_revision for script in scripts.walk_revisions()}
    assert script_revisions() == expected
    assert head_revision() == scripts.get_current_head()
