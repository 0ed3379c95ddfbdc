"""held seats: a seat held for a reserve, starting when the current license ends

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 09:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for every seat there is: they were all taken by an activation, online. Reserves
    # saved before this keep the online takeover.
    with op.batch_alter_table("activations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("held_from", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activations", schema=None) as batch_op:
        batch_op.drop_column("held_from")
