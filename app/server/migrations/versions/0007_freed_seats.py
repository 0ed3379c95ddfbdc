"""seats freed from the account console: a freed license is told why at its next contact,
and forced releases per code are counted (at most its seats in 30 days)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "freed_seats",
        sa.Column("seat_id", sa.String(length=32), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("freed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["code_id"],
            ["codes.id"],
            name=op.f("fk_freed_seats_code_id_codes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seat_id", name=op.f("pk_freed_seats")),
    )
    with op.batch_alter_table("freed_seats", schema=None) as batch_op:
        batch_op.create_index("ix_freed_seats_code_freed", ["code_id", "freed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("freed_seats", schema=None) as batch_op:
        batch_op.drop_index("ix_freed_seats_code_freed")
    op.drop_table("freed_seats")
