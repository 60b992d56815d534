"""Translations (gettext catalogues in locales/), locale choice, and Babel date formatting."""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.dates import format_interval
from babel.dates import format_time as _babel_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
LOCALES = ("en", "zh", "es", "ru", "ko")
TRAINEE_LOCALES = ("en", "zh", "es", "ru")
# Written variants of a catalogue language: Traditional Chinese readers get the Chinese
# catalogue and staff texts converted by OpenCC's s2twp (characters and Taiwanese words:
# 视频 → 影片, 信息 → 資訊), dates from Babel.
VARIANTS = {"zh_Hant": "zh"}
ALL_LOCALES = (*LOCALES, *VARIANTS)
LANGUAGE_NAMES = {
    "en": "English",
    "zh": "中文",
    "zh_Hant": "繁體中文",
    "es": "Español",
    "ru": "Русский",
    "ko": "한국어",
}

# Telegram's language_code is an IETF tag chosen by the client. Map it explicitly: regional
# variants to their base language, languages whose speakers in partner cities commonly read
# Russian to Russian, and anything else to English (the user can change it with /language).
_LANGUAGE_MAP = {
    "en": "en",
    "zh": "zh",
    "es": "es",
    "ca": "es",
    "gl": "es",
    "ru": "ru",
    "be": "ru",
    "kk": "ru",
    "ky": "ru",
    "uz": "ru",
    "tg": "ru",
    "tk": "ru",
    "ko": "ko",
}

# Chinese tags that mean Traditional characters: the script itself or the regions using it.
_HANT_TAGS = frozenset({"hant", "tw", "hk", "mo"})

_current: ContextVar[str] = ContextVar("locale", default="en")


def map_language_code(code: str | None, default: str = "en") -> str:
    """Map a Telegram `language_code` (e.g. zh-hans, zh-TW, es-419, ru-UA) to a bot locale."""
    if not code:
        return default
    parts = code.replace("_", "-").lower().split("-")
    if parts[0] == "zh" and _HANT_TAGS & set(parts[1:]):
        return "zh_Hant"
    return _LANGUAGE_MAP.get(parts[0], default)


def base_locale(locale: str) -> str:
    """The catalogue language of a locale: zh for zh_Hant, else the locale itself."""
    return VARIANTS.get(locale, locale)


@cache
def _converter():
    import opencc

    return opencc.OpenCC("s2twp")


# After s2twp, in this programme's texts: its IT-word table turns 对象 (target group) into
# 物件 (object), 类型 into 型別, 代码 into 程式碼, 项目 into 專案, 审核 into 稽核; and a few
# mainland terms have Taiwanese ones. Taiwan quotes with 「」. (Found by a Taipei reader.)
_TW_FIXES = (
    ("物件", "對象"),
    ("型別", "類型"),
    ("程式碼", "代碼"),
    ("專案", "項目"),
    ("稽核", "審核"),
    ("銷燬", "銷毀"),
    ("賬號", "帳號"),
    ("電子政務", "電子化政府"),
    ("氣候變化", "氣候變遷"),
    ("群聊", "群組"),
    ("定製", "客製化"),
    ("“", "「"),
    ("”", "」"),
    ("‘", "『"),
    ("’", "』"),
)


def localise(text: str, locale: str | None = None) -> str:
    """Text of the base language written as the locale's variant wants (Traditional Chinese)."""
    if (locale or _current.get()) == "zh_Hant" and text:
        text = _converter().convert(text)
        for wrong, right in _TW_FIXES:
            text = text.replace(wrong, right)
    return text


class _Variant(_gettext.NullTranslations):
    """A catalogue whose every message is converted to a written variant."""

    def __init__(self, base: _gettext.NullTranslations, locale: str) -> None:
        super().__init__()
        self.base, self.locale = base, locale

    def gettext(self, message: str) -> str:
        return localise(self.base.gettext(message), self.locale)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return localise(self.base.ngettext(singular, plural, n), self.locale)


@cache
def _load(locale: str) -> _gettext.NullTranslations:
    if locale in VARIANTS:
        return _Variant(_load(VARIANTS[locale]), locale)
    po = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return _gettext.GNUTranslations(fh)
    if not po.exists():
        return _gettext.NullTranslations()
    # Compile in memory so a fresh checkout works without a build step.
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


@dataclass(frozen=True)
class Translator:
    """Gettext functions bound to one locale, for rendering in a recipient's language."""

    locale: str

    def gettext(self, message: str) -> str:
        """Translate one message."""
        return _load(self.locale).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a message with a plural form chosen for n."""
        return _load(self.locale).ngettext(singular, plural, n)


def translator(locale: str) -> Translator:
    """A translator for `locale` (unknown locales fall back to English)."""
    return Translator(locale if locale in ALL_LOCALES else "en")


def set_locale(locale: str) -> None:
    """Set the locale of the current update (an asyncio task has its own)."""
    _current.set(locale if locale in ALL_LOCALES else "en")


def current_locale() -> str:
    """The locale of the current update."""
    return _current.get()


def _(message: str) -> str:
    """Translate into the current update's locale."""
    return _load(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Plural-aware translation into the current update's locale."""
    return _load(_current.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later with _()."""
    return message


def pick(texts: dict | None, locale: str | None = None, fallback: str = "en") -> str:
    """Choose the text for a locale from a per-language dict, falling back to English."""
    if not texts:
        return ""
    loc = locale or _current.get()
    if texts.get(loc):
        return texts[loc]
    if loc in VARIANTS and texts.get(VARIANTS[loc]):
        return localise(texts[VARIANTS[loc]], loc)
    return texts.get(fallback) or next(iter(texts.values()), "")


def babel_locale(locale: str | None = None) -> Locale:
    """The Babel Locale for a bot locale."""
    return Locale.parse(locale or _current.get())


def fmt_date(value: date, locale: str | None = None, fmt: str = "medium") -> str:
    """A date in the reader's locale."""
    return _babel_date(value, format=fmt, locale=babel_locale(locale))


def fmt_date_range(start: date, end: date, locale: str | None = None) -> str:
    """A date range in the reader's locale, e.g. '21–28 Jan 2018'."""
    return format_interval(start, end, skeleton="yMMMd", locale=babel_locale(locale))


# CLDR's abbreviated Korean day periods are the Latin "AM"/"PM"; Korean readers expect
# 오전/오후 (the wide form), as Korean software writes them.
_KO_PERIODS = (("AM", "오전"), ("PM", "오후"))


def _day_periods(text: str, locale: str | None) -> str:
    if (locale or _current.get()).startswith("ko"):
        for latin, korean in _KO_PERIODS:
            text = text.replace(latin, korean)
    return text


def fmt_datetime(value: datetime, tz: str, locale: str | None = None, fmt: str = "medium") -> str:
    """An instant shown in a time zone and the reader's locale."""
    text = _babel_datetime(value, format=fmt, tzinfo=ZoneInfo(tz), locale=babel_locale(locale))
    return _day_periods(text, locale)


def fmt_time(value: datetime | time, locale: str | None = None, fmt: str = "short") -> str:
    """A clock time (already in the wanted zone) in the reader's locale."""
    return _day_periods(_babel_time(value, format=fmt, locale=babel_locale(locale)), locale)


GettextFn = Callable[[str], str]
