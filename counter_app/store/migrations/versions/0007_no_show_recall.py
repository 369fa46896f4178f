"""no-show recall: how long after a skip a service's no-show may be called back

Revision ID: 0007
Revises: 0006_privacy
Create Date: 2026-12-03 13:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006_privacy'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('services') as batch:
        batch.add_column(
            sa.Column(
                'no_show_recall_minutes', sa.Integer(), server_default='30', nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('services') as batch:
        batch.drop_column('no_show_recall_minutes')
