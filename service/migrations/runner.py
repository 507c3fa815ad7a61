"""Schema migrations: upgrade on start or on demand, downgrade on demand."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

# The first revision, matching what create_all() made before migrations existed.
_FIRST = "0001"


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", "service:migrations")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to ``revision`` (the newest by default)."""
    config = _config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        has_version = MigrationContext.configure(connection).get_current_revision() is not None
        if not has_version and inspect(connection).has_table("institution"):
            # A database made before migrations existed: adopt it at the first revision.
            command.stamp(config, _FIRST)
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database schema back to ``revision`` (``base`` removes every table)."""
    config = _config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current(engine: Engine) -> str | None:
    """Return the revision the database is at, or ``None`` before the first migration."""
    with engine.connect() as connection:
        revision: str | None = MigrationContext.configure(connection).get_current_revision()
        return revision


def head() -> str:
    """Return the newest revision the code knows."""
    config = Config()
    config.set_main_option("script_location", "service:migrations")
    newest = ScriptDirectory.from_config(config).get_current_head()
    assert newest is not None
    return newest


def revision(engine: Engine, message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    config = _config(engine)
    config.set_main_option("script_location", "service/migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
