"""Settings from the environment or `.env`, validated once at start-up."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_LOCALES = ("en", "zh", "es", "ru", "ko")
# The programme's time zone unless TIMEZONE names another: the one place it is written.
DEFAULT_TIMEZONE = "Asia/Seoul"


class Settings(BaseSettings):
    """All configuration of the bot; every field maps to one environment variable."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    database_url: str | None = None
    data_dir: Path = Path("data")
    # The GeoNames city index (built there on first use); default DATA_DIR/places.sqlite.
    places_index: Path | None = None
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    liaison_chat_id: int | None = None
    timezone: str = DEFAULT_TIMEZONE
    default_locale: str = "en"
    telegram_base_url: str | None = None
    log_level: str = "INFO"
    log_format: str = "text"  # "text" or "json" (one JSON object per line)
    # Personal data of past trainees is deleted this many days after their last course ends.
    retention_days: int = Field(default=5 * 365, ge=30)
    # Webhook mode (`run --webhook`, or whenever WEBHOOK_URL is set).
    webhook_url: str | None = None  # the public https URL Telegram posts updates to
    webhook_secret: SecretStr | None = None  # checked against X-Telegram-Bot-Api-Secret-Token
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8080
    # Where the flood budget lives: "local" (this process), "database" (shared by every
    # instance on one PostgreSQL) or "auto" (database on PostgreSQL, local on SQLite).
    send_budget: str = "auto"

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        # Accept "1,2 3" as well as a JSON list, because people type both.
        if isinstance(value, str):
            return [part for part in value.replace(",", " ").split() if part]
        return value

    @field_validator("timezone")
    @classmethod
    def _check_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

    @field_validator("default_locale")
    @classmethod
    def _check_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("log_format")
    @classmethod
    def _check_log_format(cls, value: str) -> str:
        if value not in ("text", "json"):
            raise ValueError("must be text or json")
        return value

    @field_validator("send_budget")
    @classmethod
    def _check_budget(cls, value: str) -> str:
        if value not in ("auto", "local", "database"):
            raise ValueError("must be auto, local or database")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @property
    def db_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{(self.data_dir / 'liaison.db').resolve()}"

    @property
    def places_path(self) -> Path:
        """Where the GeoNames city index lives."""
        return self.places_index or self.data_dir / "places.sqlite"

    @property
    def tz(self) -> ZoneInfo:
        """The programme's own time zone (Seoul by default)."""
        return ZoneInfo(self.timezone)


class ConfigError(SystemExit):
    """Raised with one human line when the configuration is wrong."""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Load settings once; a bad value exits with one line naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]).upper() if err["loc"] else "configuration"
        print(f"Configuration error: {name}: {err['msg']}", file=sys.stderr)
        raise ConfigError(2) from None
