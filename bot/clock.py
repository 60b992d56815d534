"""The bot's clock and zone: real time or a fixed instant, in the programme's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.config import DEFAULT_TIMEZONE

_frozen: datetime | None = None
# Settings.timezone, set by build_application and the command line; code that has no settings
# at hand (outbox senders, the follow-up scheduler) reads it here.
_zone = DEFAULT_TIMEZONE


def utcnow() -> datetime:
    """Current time as an aware UTC datetime (the frozen one when set)."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Fix the clock at `at` (aware); None unfreezes it."""
    global _frozen
    if at is not None and at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = at.astimezone(UTC) if at is not None else None


def parse_instant(text: str, default_tz: str = DEFAULT_TIMEZONE) -> datetime:
    """Parse an ISO date or datetime; naive values are read in `default_tz`."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(default_tz))
    return value.astimezone(UTC)


def local_today(now: datetime, timezone: str) -> date:
    """The calendar date at an instant in `timezone` (the programme's: Settings.timezone)."""
    return now.astimezone(ZoneInfo(timezone)).date()


def set_zone(name: str) -> None:
    """Make `name` (Settings.timezone, validated there) the programme's zone."""
    global _zone
    _zone = name


def zone_name() -> str:
    """The programme's IANA time zone (Settings.timezone)."""
    return _zone


def programme_zone() -> ZoneInfo:
    """The programme's time zone (Settings.timezone)."""
    return ZoneInfo(_zone)
