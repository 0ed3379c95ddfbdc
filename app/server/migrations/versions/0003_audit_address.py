"""the client address in the audit log, for limits per address; its time indexed, for pruning

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 13:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for every row there is: no address was recorded before.
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(length=45), nullable=True))
        batch_op.create_index("ix_audit_log_address_at", ["address", "at"], unique=False)
        batch_op.create_index("ix_audit_log_at", ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_at")
        batch_op.drop_index("ix_audit_log_address_at")
        batch_op.drop_column("address")
