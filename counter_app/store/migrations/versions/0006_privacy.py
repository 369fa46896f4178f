"""privacy: bookings' personal columns can be emptied (retention, erasure); the NIK hash's key
id; the phone number no longer kept

Revision ID: 0006_privacy
Revises: 0005
Create Date: 2026-12-03 13:30:00.000000

The NIK key itself leaves the database at the server's first start (server.nik_keys), not
here: a migration must not write files outside the database.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import counter_app.store.types

revision: str = '0006_privacy'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nik_key_id', sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column(
                'anonymised_at', counter_app.store.types.UtcDateTime(timezone=True), nullable=True
            )
        )
        batch_op.alter_column('nik_hash', existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column('nik_last4', existing_type=sa.String(length=4), nullable=True)
        batch_op.alter_column('name', existing_type=sa.String(length=100), nullable=True)
        batch_op.alter_column('phone', existing_type=sa.String(length=20), nullable=True)
        batch_op.create_index(
            'ix_bookings_retention', ['anonymised_at', 'slot_start'], unique=False
        )
    # Nothing uses the phone number: those already collected are erased.
    op.execute("UPDATE bookings SET phone = NULL")


def downgrade() -> None:
    op.execute("UPDATE bookings SET phone = '' WHERE phone IS NULL")
    op.execute("UPDATE bookings SET name = '' WHERE name IS NULL")
    op.execute("UPDATE bookings SET nik_last4 = '' WHERE nik_last4 IS NULL")
    op.execute("UPDATE bookings SET nik_hash = '' WHERE nik_hash IS NULL")
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_bookings_retention')
        batch_op.alter_column('phone', existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column('name', existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column('nik_last4', existing_type=sa.String(length=4), nullable=False)
        batch_op.alter_column('nik_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('nik_key_id')
