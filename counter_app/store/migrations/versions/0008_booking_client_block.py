"""booking client block: the address block (IPv4 /24, IPv6 /64) a booking came from

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 13:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('bookings') as batch:
        batch.add_column(sa.Column('client_block', sa.String(length=64), nullable=True))
        batch.create_index(
            'ix_bookings_client_block_created', ['client_block', 'created_at'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('bookings') as batch:
        batch.drop_index('ix_bookings_client_block_created')
        batch.drop_column('client_block')
