"""account recovery by e-mail: one-time sign-in codes and password-reset links, kept as
hashes, with the requests per address that the mail limits count

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recovery_requests",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("secret_hash", sa.LargeBinary(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_recovery_requests_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_requests")),
    )
    with op.batch_alter_table("recovery_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_recovery_requests_email_kind_created_at",
            ["email", "kind", "created_at"],
            unique=False,
        )
        batch_op.create_index("ix_recovery_requests_created_at", ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_recovery_requests_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recovery_requests_secret_hash"), ["secret_hash"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("recovery_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_requests_secret_hash"))
        batch_op.drop_index(batch_op.f("ix_recovery_requests_account_id"))
        batch_op.drop_index("ix_recovery_requests_created_at")
        batch_op.drop_index("ix_recovery_requests_email_kind_created_at")
    op.drop_table("recovery_requests")
