"""mend what deletes did on a SQLite connection left without foreign keys: each row whose
parent is gone gets what its foreign key's ON DELETE would have done (deleted, or its
reference set to NULL)

A server restarted on a database with nothing to migrate kept one connection with foreign
keys off (fixed in app.server.db.migrate); deletes on it did not cascade, and the rows left
behind would stop every later start at the migrations' foreign-key check.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 00:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

#: Enough for any chain of parents in this schema (a deleted row's own children are mended
#: on the next pass).
PASSES = 8


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return  # PostgreSQL always enforces its foreign keys
    for _pass in range(PASSES):
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        if not broken:
            return
        for table, rowid, _parent, key_id in broken:
            keys = connection.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")').all()
            key = next(key for key in keys if key.id == key_id)
            if key.on_delete.upper() == "SET NULL":
                connection.exec_driver_sql(
                    # Names from SQLite's own catalog, not from anyone's input.
                    f'UPDATE "{table}" SET "{key._mapping["from"]}" = NULL WHERE rowid = ?',  # noqa: S608
                    (rowid,),
                )
            else:
                delete = f'DELETE FROM "{table}" WHERE rowid = ?'  # noqa: S608 (as above)
                connection.exec_driver_sql(delete, (rowid,))


def downgrade() -> None:
    pass  # nothing to undo: the rows removed had lost their parents
