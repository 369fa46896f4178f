"""pairing: short single-use codes a new station exchanges for its device token; when a
device was last seen

Revision ID: 0009_pairing
Revises: 0008
Create Date: 2026-12-03 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import counter_app.store.types

revision: str = '0009_pairing'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    utc = counter_app.store.types.UtcDateTime(timezone=True)
    op.create_table(
        'pairing_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('branch_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('token_days', sa.Integer(), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', utc, nullable=False),
        sa.Column('expires_at', utc, nullable=False),
        sa.Column('used_at', utc, nullable=True),
        sa.ForeignKeyConstraint(['branch_id'], ['branches.id']),
        sa.ForeignKeyConstraint(['created_by'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code_hash'),
    )
    op.create_index('ix_pairing_codes_branch_id', 'pairing_codes', ['branch_id'], unique=False)
    with op.batch_alter_table('devices') as batch:
        batch.add_column(sa.Column('last_seen_at', utc, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('devices') as batch:
        batch.drop_column('last_seen_at')
    op.drop_index('ix_pairing_codes_branch_id', table_name='pairing_codes')
    op.drop_table('pairing_codes')
