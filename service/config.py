"""Settings, read from ``TVETMATCH_*`` environment variables."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from limits import parse_many
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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
    change_poll_seconds: float = Field(
        default=0.5,
        ge=0,
        description="How often the index reads the change log for writes made through "
        "other service instances on the same database (0: never; one instance only).",
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
    log_format: Literal["json", "text"] = Field(
        default="json",
        description="Log lines of `tvet-match serve`: one JSON object per line, or plain text.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Browser origins allowed to call the API (comma-separated or a JSON "
        "list; '*' for any). Empty: no CORS headers.",
    )
    max_body_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=0,
        description="Largest request body accepted, in bytes (a 20,000-profile bulk fits).",
    )
    idempotency_ttl_seconds: int = Field(
        default=24 * 60 * 60,
        ge=60,
        description="How long a POST's Idempotency-Key and its stored answer are kept: a "
        "retry within this time gets the first answer.",
    )
    rate_limit: str = Field(
        default="120/minute",
        description="Requests allowed per API key (or per client address without a key), "
        "e.g. '120/minute' or '120/minute;2000/hour'. Empty: no limit.",
    )
    rate_limit_writes: str = Field(
        default="30/minute",
        description="Writes (POST, PUT, PATCH, DELETE) allowed per key or address, on top of "
        "rate_limit. Empty: no separate limit.",
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description="Where rate-limit counters live: memory:// (this process only) or a "
        "storage URI of the limits package shared by every instance, e.g. redis://host:6379.",
    )
    max_open_interests: int = Field(
        default=20,
        ge=1,
        description="Expressions of interest one institution may hold in open opportunities.",
    )
    meeting_requests_per_day: int = Field(
        default=20,
        ge=1,
        description="Meeting requests one institution may send per UTC day; more are "
        "answered 429 with Retry-After until the day rolls over.",
    )
    meeting_rest_days: int = Field(
        default=90,
        ge=0,
        description="Days for which two institutions whose meeting request was declined "
        "or withdrawn are not suggested to each other again.",
    )
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server for email (sign-in links, meeting notices). Unset: no email "
        "is sent, and the pages say that email sign-in is not available.",
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP server port.")
    smtp_username: str | None = Field(default=None, description="SMTP user, if it needs one.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_from: str = Field(
        default="tvet-match <no-reply@localhost>", description="The From of every email."
    )
    smtp_starttls: bool = Field(
        default=True, description="Upgrade the SMTP connection with STARTTLS before sending."
    )
    public_url: str = Field(
        default="http://localhost:8000",
        description="This service's address as users reach it; links in emails start with it.",
    )
    webhook_poll_seconds: float = Field(
        default=1.0,
        ge=0,
        description="How often this instance looks for webhook deliveries to send "
        "(0: this instance sends none; another must).",
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, le=300, description="How long one delivery attempt may take."
    )
    webhook_backoff_seconds: float = Field(
        default=30.0,
        ge=0,
        description="Wait before the first retry of a failed delivery; it doubles after each "
        "failure, up to 6 hours.",
    )
    webhook_max_attempts: int = Field(
        default=8, ge=1, le=100, description="Attempts before a delivery is given up (dead)."
    )
    webhook_allow_private_targets: bool = Field(
        default=False,
        description="Let webhooks post to loopback, private and link-local addresses "
        "(for a receiver on the same machine or network).",
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [origin.strip() for origin in text.split(",") if origin.strip()]
        return value

    @field_validator("rate_limit", "rate_limit_writes")
    @classmethod
    def _parse_rate_limit(cls, value: str) -> str:
        if value.strip():
            parse_many(value)  # raises ValueError, naming the string it cannot read
        return value.strip()

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
