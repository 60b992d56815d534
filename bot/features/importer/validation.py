"""Checking every row of every sheet before anything is written; errors name row and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.features.importer.cells import CellError, as_text, parse_cell
from bot.features.importer.columns import COLUMNS, LANGS, column, norm
from bot.features.importer.places import PlaceIn, parse_places
from bot.features.importer.reader import RawRow, RawSheet
from bot.i18n import N_

REQUIRED = N_("a value is required")
NEGATIVE = N_("must be 0 or more")
SCALE = N_("must be between 1 and 5")
ENDS_BEFORE = N_("the end date is before the start date")
YEAR_MISMATCH = N_("the year does not match the start date")
UNKNOWN_PARTNER = N_("unknown partner organisation code")
UNKNOWN_COURSE = N_("no course with this code in the database or in this file")
DUPLICATE = N_("appears twice in this file (also row {row})")
NO_TITLE = N_("a title in English or Korean is required")
BAD_AUDIENCE = N_("use all, members:ORG, organisation:ORG, countries:AR,CN or cities:key,key")
UNKNOWN_CITY = N_("unknown city: {names}")
UNKNOWN_COUNTRY = N_("unknown country: {names}")
END_TIME = N_("the end time is not after the start time")
UNKNOWN_COLUMN = N_("unknown column")
MISSING_COLUMN = N_("this sheet needs a column {header}")


@dataclass(frozen=True)
class RowError:
    """One problem: where (sheet, row as the spreadsheet shows it, column), what and why."""

    sheet: str
    row: int
    column: str
    value: str
    reason: str  # msgid
    params: dict = field(default_factory=dict)


@dataclass
class Lookup:
    """What the database already knows, loaded once before validation."""

    partners: set[str]
    course_dates: dict[str, tuple[date | None, date | None]]  # existing code → starts, ends
    cities: dict[str, str]  # normalised key, name or alias → city key
    tz: ZoneInfo


@dataclass
class CourseIn:
    """A valid courses row: the model fields present in the sheet."""

    row: int
    code: str
    values: dict[str, object]
    texts: dict[str, dict[str, str | None]]  # per-language field → {lang: text or None}
    targets: list[str] | None  # audience city keys (None: column absent)


@dataclass
class SessionIn:
    """A valid sessions row."""

    row: int
    course: str
    starts_at: datetime
    ends_at: datetime | None
    kind: str
    texts: dict[str, dict[str, str]]


@dataclass
class ResultIn:
    """A valid results row; `places` is None when the column is absent."""

    row: int
    course: str
    values: dict[str, object]
    places: list[PlaceIn] | None


@dataclass
class Plan:
    """Everything a file asks for, or the errors that stop it."""

    courses: list[CourseIn] = field(default_factory=list)
    sessions: list[SessionIn] = field(default_factory=list)
    results: list[ResultIn] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class _Row:
    """Reads typed cells of one raw row and collects its errors."""

    def __init__(self, sheet: RawSheet, raw: RawRow, errors: list[RowError]) -> None:
        self.sheet, self.raw, self.errors = sheet, raw, errors

    def has(self, key: str) -> bool:
        return key in self.sheet.headers

    def error(self, key: str, reason: str, **params: object) -> None:
        value = as_text(self.raw.cells.get(key)) if self.raw.cells.get(key) is not None else ""
        header = self.sheet.headers.get(key, key)
        self.errors.append(
            RowError(self.sheet.name, self.raw.number, header, value[:80], reason, params)
        )

    def get(self, key: str) -> object:
        col = column(self.sheet.kind, key)
        try:
            # Codes fit Course.code (32); texts stay readable in a Telegram message.
            limit = 32 if key in ("code", "course") else 500
            value = parse_cell(col, self.raw.cells.get(key), limit)
        except CellError as exc:
            self.error(key, exc.reason, **exc.params)
            return None
        if value is None and col.required:
            self.error(key, REQUIRED)
        return value

    def texts(self, name: str) -> dict[str, str | None]:
        return {lang: self.get(f"{name}_{lang}") for lang in LANGS if self.has(f"{name}_{lang}")}


def _audience(text: str, lookup: Lookup) -> tuple[dict, list[str]] | None:
    """Parse the audience cell into Course.audience and its target city keys."""
    scope, _, rest = text.partition(":")
    items = [i.strip() for i in rest.split(",") if i.strip()]
    aud = {"scope": "all", "organisation": None, "countries": [], "cities": []}
    scope = norm(scope)
    if scope == "all" and not items:
        return aud, []
    if scope in ("members", "organisation") and len(items) == 1:
        return {**aud, "scope": scope, "organisation": items[0].upper()}, []
    if scope in ("countries", "country") and items:
        return {**aud, "scope": "country", "countries": [i.upper() for i in items]}, []
    if scope == "cities" and items:
        keys = [lookup.cities.get(norm(i), "?" + i) for i in items]
        return {**aud, "scope": "cities", "cities": keys}, keys
    return None


def _course(r: _Row, lookup: Lookup, plan: Plan) -> None:
    code = r.get("code")
    values: dict[str, object] = {"code": code}
    for key in ("year", "type", "theme", "starts", "ends", "seats", "language", "apply_until"):
        if r.has(key):
            values[key] = r.get(key)
    if r.has("status"):
        values["status"] = r.get("status") or "planned"
    if values.get("seats") is not None and values["seats"] < 0:
        r.error("seats", NEGATIVE)
    if r.has("language") and values["language"] is None:
        values["language"] = "en"
    if r.has("seats") and values["seats"] is None:
        values["seats"] = 0
    if r.has("partner"):
        partner = r.get("partner")
        values["partner"] = partner.upper() if partner else None
        if partner and partner.upper() not in lookup.partners:
            r.error("partner", UNKNOWN_PARTNER)
    old_starts, old_ends = lookup.course_dates.get(code or "", (None, None))
    starts = values["starts"] if r.has("starts") else old_starts
    ends = values["ends"] if r.has("ends") else old_ends
    if starts and ends and ends < starts:
        r.error("ends" if r.has("ends") else "starts", ENDS_BEFORE)
    if starts and values.get("year") and starts.year != values["year"]:
        r.error("year", YEAR_MISMATCH)
    texts = {name: r.texts(name) for name in ("title", "venue", "note")}
    has_title = texts["title"].get("en") or texts["title"].get("ko")
    if not has_title and (texts["title"] or code not in lookup.course_dates):
        r.error("title_en" if r.has("title_en") else "title_ko", NO_TITLE)
    targets = None
    if r.has("audience"):
        text = r.get("audience") or "all"
        parsed = _audience(text, lookup)
        if parsed is None:
            r.error("audience", BAD_AUDIENCE)
        else:
            values["audience"], targets = parsed
            unknown = [k[1:] for k in targets if k.startswith("?")]
            org = values["audience"]["organisation"]
            if unknown:
                r.error("audience", UNKNOWN_CITY, names=", ".join(unknown))
            elif org and org not in lookup.partners:
                r.error("audience", UNKNOWN_PARTNER)
    if code:
        plan.courses.append(CourseIn(r.raw.number, code, values, texts, targets))


def _session(r: _Row, lookup: Lookup, plan: Plan) -> None:
    course, day, start = r.get("course"), r.get("date"), r.get("start")
    end, kind = r.get("end") if r.has("end") else None, r.get("kind")
    texts = {n: {k: v for k, v in r.texts(n).items() if v} for n in ("title", "place", "speaker")}
    if not (texts["title"].get("en") or texts["title"].get("ko")):
        r.error("title_en" if r.has("title_en") else "title_ko", NO_TITLE)
    if start and end and end <= start:
        r.error("end", END_TIME)
    if course and day and start and kind:
        starts_at = datetime.combine(day, start, tzinfo=lookup.tz)
        ends_at = datetime.combine(day, end, tzinfo=lookup.tz) if end else None
        plan.sessions.append(SessionIn(r.raw.number, course, starts_at, ends_at, kind, texts))


def _result(r: _Row, lookup: Lookup, plan: Plan) -> None:
    course, values = r.get("course"), {}
    values["trainees"] = r.get("trainees")
    if values["trainees"] is not None and values["trainees"] < 0:
        r.error("trainees", NEGATIVE)
    if r.has("satisfaction"):
        values["satisfaction"] = r.get("satisfaction")
        if values["satisfaction"] is not None and not 1 <= values["satisfaction"] <= 5:
            r.error("satisfaction", SCALE)
    if r.has("budget"):
        values["budget_krw_thousand"] = r.get("budget")
        if (values["budget_krw_thousand"] or 0) < 0:
            r.error("budget", NEGATIVE)
    places = None
    if r.has("places"):
        places, bad = parse_places(r.get("places") or "")
        if bad:
            r.error("places", UNKNOWN_COUNTRY, names=", ".join(bad))
    if course:
        plan.results.append(ResultIn(r.raw.number, course, values, places))


CHECKS = {"courses": _course, "sessions": _session, "results": _result}


def _duplicates(plan: Plan, sheets: list[RawSheet]) -> None:
    """Two rows for one course, result or session start: the later names the earlier."""
    names = {s.kind: s for s in sheets}
    groups = [
        ("courses", "code", [(c.row, c.code) for c in plan.courses]),
        ("results", "course", [(r.row, r.course) for r in plan.results]),
        ("sessions", "start", [(s.row, (s.course, s.starts_at)) for s in plan.sessions]),
    ]
    for kind, key, items in groups:
        seen: dict[object, int] = {}
        for row, ident in items:
            if ident in seen:
                sheet = names[kind]
                value = ident[1].strftime("%Y-%m-%d %H:%M") if kind == "sessions" else ident
                plan.errors.append(
                    RowError(
                        sheet.name,
                        row,
                        sheet.headers.get(key, key),
                        str(value),
                        DUPLICATE,
                        {"row": seen[ident]},
                    )
                )
            seen.setdefault(ident, row)


def validate_edit(code: str, key: str, header: str, value: object, lookup: Lookup) -> Plan:
    """Check one course field typed by staff as if it were a one-column courses row."""
    plan = Plan()
    sheet = RawSheet("courses", "/editcourse", {"code": "code", key: header}, {})
    raw = RawRow(0, {"code": code, key: value})
    if code not in lookup.course_dates:
        plan.errors.append(RowError(sheet.name, 0, "code", code, UNKNOWN_COURSE))
        return plan
    _course(_Row(sheet, raw, plan.errors), lookup, plan)
    return plan


def validate(sheets: list[RawSheet], lookup: Lookup) -> Plan:
    """Check every row of every sheet; the plan holds the rows, or the errors."""
    plan = Plan()
    for sheet in sheets:
        for col in COLUMNS[sheet.kind]:
            if col.required and col.key not in sheet.headers:
                plan.errors.append(
                    RowError(sheet.name, 1, col.key, "", MISSING_COLUMN, {"header": col.ko})
                )
        for letter, header in sheet.unknown:
            plan.errors.append(RowError(sheet.name, 1, letter, header[:80], UNKNOWN_COLUMN))
        for raw in sheet.rows:
            CHECKS[sheet.kind](_Row(sheet, raw, plan.errors), lookup, plan)
    _duplicates(plan, sheets)
    known = set(lookup.course_dates) | {c.code for c in plan.courses}
    by_kind = {s.kind: s for s in sheets}
    for item in [*plan.sessions, *plan.results]:
        if item.course not in known:
            sheet = by_kind["sessions" if isinstance(item, SessionIn) else "results"]
            header = sheet.headers.get("course", "course")
            plan.errors.append(RowError(sheet.name, item.row, header, item.course, UNKNOWN_COURSE))
    order = {s.name: n for n, s in enumerate(sheets)}
    plan.errors.sort(key=lambda e: (order.get(e.sheet, 0), e.row))
    return plan
