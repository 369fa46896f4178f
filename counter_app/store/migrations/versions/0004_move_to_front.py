"""move to the front: when a supervisor moved a waiting ticket to the front of its queue

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import counter_app.store.types

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('front_at', counter_app.store.types.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index('ix_tickets_front', ['branch_id', 'state', 'front_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_front')
        batch_op.drop_column('front_at')
