"""The activation server: FastAPI over SQLAlchemy 2, migrated with Alembic."""
