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
        default=0.05,
        ge=0,
        description="How often the index reads the change log for writes made through "
        "other workers or instances on the same database (0: never; one process only). "
        "A poll with nothing new is one indexed count query.",
    )
    prepare_on_start: bool = Field(
        default=True,
        description="Migrate (and seed) the database when the app starts. `serve --workers` "
        "does it once, before its workers start, and turns this off for them.",
    )
    index_files: bool = Field(
        default=True,
        description="Keep the fitted index as files in <data_dir>/index: workers map one "
        "copy, a restart maps it and catches up, and a large refit runs in its own process.",
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
        description="Largest upload accepted, in bytes: survey imports and bulk creation "
        "(a 20,000-profile bulk fits).",
    )
    max_request_body_bytes: int = Field(
        default=1024 * 1024,
        ge=0,
        description="Largest body of any other request, in bytes (a profile is a few KiB).",
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
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto the server believes (comma-separated or a JSON list; '*' for "
        "any). Empty: none, and every request is counted against the peer address.",
    )
    header_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Close a connection whose request line and headers have not all "
        "arrived this long after it opened (or after the previous answer).",
    )
    body_timeout_seconds: float = Field(
        default=120.0,
        gt=0,
        description="Close a connection whose request body has not all arrived this long "
        "after its headers (a 64 MiB upload at 5 Mbit/s takes about 110 s).",
    )
    keep_alive_seconds: int = Field(
        default=5, ge=1, description="Close a connection idle this long between requests."
    )
    max_connections: int = Field(
        default=1000,
        ge=1,
        description="Connections and requests in progress beyond which new ones get 503 "
        "(keep it below the process's open-file limit).",
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
    schedule_seconds: float = Field(
        default=5.0,
        ge=0,
        le=120,
        description="How long making a timetable may search for one with fewer slots, then "
        "fewer idle gaps, before it keeps the best found (0: the greedy placement alone).",
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
    webhook_connect_timeout_seconds: float = Field(
        default=3.0,
        gt=0,
        le=60,
        description="How long connecting to a receiver may take (within the attempt's timeout).",
    )
    webhook_concurrency: int = Field(
        default=8, ge=1, le=64, description="Delivery attempts this instance runs at once."
    )
    webhook_owner_concurrency: int = Field(
        default=2,
        ge=1,
        le=64,
        description="Attempts one owner's webhooks may have in flight at once (all instances); "
        "keep it below webhook_concurrency so no owner can take every slot.",
    )
    webhook_breaker_failures: int = Field(
        default=5,
        ge=1,
        le=1000,
        description="Failed attempts in a row after which a webhook is parked.",
    )
    webhook_breaker_cooldown_seconds: float = Field(
        default=300.0,
        ge=0,
        description="How long a parked webhook rests before one attempt probes it again.",
    )
    webhook_allow_private_targets: bool = Field(
        default=False,
        description="Let webhooks post to loopback, private and link-local addresses "
        "(for a receiver on the same machine or network).",
    )

    @field_validator("cors_origins", "trusted_proxies", mode="before")
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
    def request_body_limit(self) -> int:
        """The body limit of routes that take no uploads (never above the upload limit)."""
        return min(self.max_request_body_bytes, self.max_body_bytes)

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
