"""training mode: a training flag on branches, counters and tickets

Training tickets are numbered apart from the real day's (the unique number index gains the
flag), so a real ticket issued after training continues the real numbering.

Revision ID: 0010_training
Revises: 0009_pairing
Create Date: 2026-12-03 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_training'
down_revision: str | None = '0009_pairing'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NOT_TRANSFERRED = sa.text('transferred_from_id IS NULL')


def _flag() -> sa.Column[bool]:
    return sa.Column('training', sa.Boolean(), server_default=sa.false(), nullable=False)


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite has it for a column with a default): a batch copy of the
    # table would drop ``branches`` under the rows that refer to it, which SQLite refuses
    # with foreign keys on (a populated database, tests/e2e/test_upgrade_from_previous_release).
    for table in ('branches', 'counters', 'tickets'):
        op.add_column(table, _flag())
    op.drop_index('uq_tickets_number', table_name='tickets')
    op.create_index(
        'uq_tickets_number',
        'tickets',
        ['branch_id', 'service_day', 'prefix', 'training', 'number'],
        unique=True,
        sqlite_where=_NOT_TRANSFERRED,
        postgresql_where=_NOT_TRANSFERRED,
    )
    # Reports leave training tickets out without reading the rows.
    op.drop_index('ix_tickets_report', table_name='tickets')
    op.create_index(
        'ix_tickets_report',
        'tickets',
        ['branch_id', 'service_day', 'service_id', 'transferred_from_id', 'training'],
    )


def downgrade() -> None:
    op.drop_index('ix_tickets_report', table_name='tickets')
    op.create_index(
        'ix_tickets_report',
        'tickets',
        ['branch_id', 'service_day', 'service_id', 'transferred_from_id'],
    )
    op.drop_index('uq_tickets_number', table_name='tickets')
    op.create_index(
        'uq_tickets_number',
        'tickets',
        ['branch_id', 'service_day', 'prefix', 'number'],
        unique=True,
        sqlite_where=_NOT_TRANSFERRED,
        postgresql_where=_NOT_TRANSFERRED,
    )
    for table in ('tickets', 'counters', 'branches'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('training')
