"""online booking: per-service booking settings, branch holidays, bookings, slots, secrets

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 22:25:39.265152
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import counter_app.store.types

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('server_secrets',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=128), nullable=False),
    sa.Column('created_at', counter_app.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_server_secrets'))
    )
    op.create_table('branch_holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_branch_holidays_branch_id_branches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_branch_holidays')),
    sa.UniqueConstraint('branch_id', 'day', name=op.f('uq_branch_holidays_branch_id_day'))
    )
    op.create_table('booking_slots',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', counter_app.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_booking_slots_service_id_services')),
    sa.PrimaryKeyConstraint('service_id', 'starts_at', name=op.f('pk_booking_slots'))
    )
    op.create_table('bookings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('slot_start', counter_app.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('slot_end', counter_app.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('slot_day', sa.Date(), nullable=False),
    sa.Column('nik_hash', sa.String(length=64), nullable=False),
    sa.Column('nik_last4', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('cancel_token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', counter_app.store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', counter_app.store.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('ticket_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branches.id'], name=op.f('fk_bookings_branch_id_branches')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_bookings_service_id_services')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_bookings_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings')),
    sa.UniqueConstraint('code', name=op.f('uq_bookings_code'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_state_slot', ['state', 'slot_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_ticket_id'), ['ticket_id'], unique=False)
        batch_op.create_index('uq_bookings_active_nik', ['service_id', 'slot_day', 'nik_hash'], unique=True, sqlite_where=sa.text("state IN ('booked', 'checked_in')"), postgresql_where=sa.text("state IN ('booked', 'checked_in')"))

    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booking_enabled', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('booking_slot_minutes', sa.Integer(), server_default='30', nullable=False))
        batch_op.add_column(sa.Column('booking_capacity', sa.Integer(), server_default='4', nullable=False))
        batch_op.add_column(sa.Column('booking_window_days', sa.Integer(), server_default='14', nullable=False))
        batch_op.add_column(sa.Column('booking_check_in_before', sa.Integer(), server_default='30', nullable=False))
        batch_op.add_column(sa.Column('booking_check_in_after', sa.Integer(), server_default='15', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_column('booking_check_in_after')
        batch_op.drop_column('booking_check_in_before')
        batch_op.drop_column('booking_window_days')
        batch_op.drop_column('booking_capacity')
        batch_op.drop_column('booking_slot_minutes')
        batch_op.drop_column('booking_enabled')

    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('uq_bookings_active_nik', sqlite_where=sa.text("state IN ('booked', 'checked_in')"), postgresql_where=sa.text("state IN ('booked', 'checked_in')"))
        batch_op.drop_index(batch_op.f('ix_bookings_ticket_id'))
        batch_op.drop_index('ix_bookings_state_slot')

    op.drop_table('bookings')
    op.drop_table('booking_slots')
    op.drop_table('branch_holidays')
    op.drop_table('server_secrets')
