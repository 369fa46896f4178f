"""hub bookings: bookings made on the hub, pulled by the branch; the branch's hub link

Revision ID: 0011_hub_bookings
Revises: 0010_training
Create Date: 2026-12-03 15:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011_hub_bookings'
down_revision: str | None = '0010_training'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN and a separate unique index: no batch copy of ``bookings`` (see 0010).
    op.add_column('bookings', sa.Column('hub_booking_id', sa.BigInteger(), nullable=True))
    op.create_index('uq_bookings_hub_booking_id', 'bookings', ['hub_booking_id'], unique=True)
    op.create_table(
        'hub_links',
        sa.Column('branch_id', sa.Integer(), sa.ForeignKey('branches.id'), primary_key=True),
        sa.Column('online_share', sa.Integer(), nullable=False, server_default='50'),
        sa.Column('pull_cursor', sa.BigInteger(), nullable=False, server_default='0'),
        sa.Column('setup_hash', sa.String(64), nullable=True),
    )


def downgrade() -> None:
    op.drop_table('hub_links')
    op.drop_index('uq_bookings_hub_booking_id', table_name='bookings')
    op.drop_column('bookings', 'hub_booking_id')
