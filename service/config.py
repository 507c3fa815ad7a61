"""Settings, read from ``TVETMATCH_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Service settings; every field can be set as ``TVETMATCH_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="TVETMATCH_", extra="ignore")

    data_dir: Path = Field(
        default=Path("data"),
        description="Folder of the embedded SQLite database (relative to the working directory).",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL that overrides the embedded database, "
        "e.g. postgresql+psycopg://user:pass@host/db.",
    )
    seed_on_empty: bool = Field(
        default=True,
        description="Load the demo seed on start when the embedded database is empty.",
    )
    admin_token: SecretStr | None = Field(
        default=None,
        description="Bearer token with every right. On the embedded default, when unset, "
        "one is generated on first start and kept in <data_dir>/admin-token (mode 600).",
    )
    reads_require_key: bool = Field(
        default=False,
        description="Require a valid key to read profiles and suggestions.",
    )
    open_registration: bool = Field(
        default=True,
        description="Let anyone create an institution (and receive its key). When false, "
        "only admins and organisers can.",
    )
    refit_after_changes: int = Field(
        default=200,
        ge=1,
        description="Refit the matching vocabulary in the background after this many "
        "profile changes (or sooner when new text brings many unseen terms).",
    )
    refit_unseen_share: float = Field(
        default=0.05,
        gt=0,
        le=1,
        description="Share of unseen terms in changed profiles that triggers a background refit.",
    )

    @property
    def resolved_database_url(self) -> str:
        """The database URL in force: the override, or SQLite in ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'tvet-match.sqlite3').resolve()}"

    @property
    def is_embedded(self) -> bool:
        """Whether the service runs on the embedded SQLite default."""
        return not self.database_url


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings, read once from the environment."""
    return Settings()
