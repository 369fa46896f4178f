"""Persistence: SQLAlchemy 2.x models, Alembic migrations, transactions and the journal."""
