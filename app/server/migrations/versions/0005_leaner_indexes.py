"""fewer index writes per seat: activations' own code_id index goes (the unique (code_id,
device_id) index leads with it), and the audit log indexes its subject and address only on
the rows that have one (sign-ins and counts of refusals held back, not every activation)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 17:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _partial(column: str) -> dict[str, object]:
    where = sa.text(f"{column} IS NOT NULL")
    return {"postgresql_where": where, "sqlite_where": where}


def upgrade() -> None:
    with op.batch_alter_table("activations", schema=None) as batch_op:
        batch_op.drop_index("ix_activations_code_id")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_subject_at")
        batch_op.drop_index("ix_audit_log_address_at")
        batch_op.create_index("ix_audit_log_subject_at", ["subject", "at"], **_partial("subject"))
        batch_op.create_index("ix_audit_log_address_at", ["address", "at"], **_partial("address"))


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_address_at")
        batch_op.drop_index("ix_audit_log_subject_at")
        batch_op.create_index("ix_audit_log_address_at", ["address", "at"], unique=False)
        batch_op.create_index("ix_audit_log_subject_at", ["subject", "at"], unique=False)
    with op.batch_alter_table("activations", schema=None) as batch_op:
        batch_op.create_index("ix_activations_code_id", ["code_id"], unique=False)
