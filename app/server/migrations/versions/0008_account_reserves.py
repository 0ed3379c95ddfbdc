"""one reserve for every device of an account: the code saved once in the account console,
and per device what became of it (held, waiting for the device, or refused and why)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_reserves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_reserves_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["code_id"],
            ["codes.id"],
            name=op.f("fk_account_reserves_code_id_codes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_reserves")),
        sa.UniqueConstraint("account_id", name=op.f("uq_account_reserves_account_id")),
    )
    op.create_table(
        "account_reserve_devices",
        sa.Column("reserve_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("seat_id", sa.String(length=32), nullable=True),
        sa.Column("takes_over_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replace", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reserve_id"],
            ["account_reserves.id"],
            name=op.f("fk_account_reserve_devices_reserve_id_account_reserves"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("reserve_id", "device_id", name=op.f("pk_account_reserve_devices")),
    )
    with op.batch_alter_table("account_reserve_devices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_reserve_devices_device_id"), ["device_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("account_reserve_devices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_reserve_devices_device_id"))
    op.drop_table("account_reserve_devices")
    op.drop_table("account_reserves")
