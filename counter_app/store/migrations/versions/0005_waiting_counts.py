"""waiting counts: tickets waiting per service and service day, kept as tickets move

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 02:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'waiting_counts',
        sa.Column('branch_id', sa.Integer(), nullable=False),
        sa.Column('service_day', sa.Date(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('waiting', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['branch_id'], ['branches.id'], name=op.f('fk_waiting_counts_branch_id_branches')
        ),
        sa.ForeignKeyConstraint(
            ['service_id'], ['services.id'], name=op.f('fk_waiting_counts_service_id_services')
        ),
        sa.PrimaryKeyConstraint(
            'branch_id', 'service_day', 'service_id', name=op.f('pk_waiting_counts')
        ),
    )
    # Tickets already waiting when this runs.
    op.execute(
        "INSERT INTO waiting_counts (branch_id, service_day, service_id, waiting) "
        "SELECT branch_id, service_day, service_id, COUNT(*) FROM tickets "
        "WHERE state = 'waiting' GROUP BY branch_id, service_day, service_id"
    )


def downgrade() -> None:
    op.drop_table('waiting_counts')
