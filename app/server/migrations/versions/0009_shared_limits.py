"""limits kept in the database, shared by every server process; e-mail addresses kept in
one spelling (NFKC, case-folded, no trailing dot)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 17:00:00
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

from app.server.records import normalize_email

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    op.create_table(
        "limit_counts",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_limit_counts")),
    )
    with op.batch_alter_table("limit_counts", schema=None) as batch_op:
        batch_op.create_index("ix_limit_counts_window_start", ["window_start"], unique=False)
    _normalise_emails()


def _normalise_emails() -> None:
    """Accounts created before are kept under the one spelling sign-in now looks for. An
    address whose spelling is taken already (a look-alike created beside it) is left as it
    was, and said in the migration's log, for the operator to settle."""
    connection = op.get_bind()
    accounts = sa.table("accounts", sa.column("id", sa.Integer), sa.column("email", sa.String))
    rows = connection.execute(sa.select(accounts.c.id, accounts.c.email)).all()
    taken = {email for _id, email in rows}
    for account_id, email in rows:
        try:
            spelled = normalize_email(email)
        except ValueError:
            continue
        if spelled == email:
            continue
        if spelled in taken:
            log.warning(
                "account %d: its e-mail's spelling is another account's; left as is", account_id
            )
            continue
        connection.execute(
            sa.update(accounts).where(accounts.c.id == account_id).values(email=spelled)
        )
        taken.discard(email)
        taken.add(spelled)


def downgrade() -> None:
    with op.batch_alter_table("limit_counts", schema=None) as batch_op:
        batch_op.drop_index("ix_limit_counts_window_start")
    op.drop_table("limit_counts")
