"""Staff review screens: texts and keyboards, in the staff member's language."""

from __future__ import annotations

from babel import Locale
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.clock import zone_name
from bot.core.people import UserCtx
from bot.features.applications import form_text, review
from bot.features.applications import review_callbacks as rv
from bot.features.applications.labels import SENIORITY_LABELS, staff_status_label
from bot.i18n import _, current_locale, fmt_datetime, ngettext, pick

PAGE = 10
STATUS_ICONS = {
    "submitted": "🆕",
    "under_review": "🔎",
    "accepted": "✅",
    "waitlisted": "⏳",
    "declined": "❌",
    "withdrawn": "↩️",
}

Screen = tuple[str, InlineKeyboardMarkup | None]


def course_buttons(courses: list[review.CourseCount]) -> InlineKeyboardMarkup:
    """One button per course: code, title and counts."""
    rows = []
    for c in courses:
        label = f"{c.code} {pick(c.title)} · {c.total} (✅{c.accepted}/{c.seats} ⏳{c.waitlisted})"
        data = rv.COURSE.pack(course=c.id, page=0)
        rows.append([InlineKeyboardButton(label[:120], callback_data=data)])
    return InlineKeyboardMarkup(rows)


async def list_screen(actor: UserCtx, course_id: int, page: int) -> Screen:
    """A course's applications in priority order, ten to a page."""
    courses = {c.id: c for c in await review.list_courses_with_applications(actor)}
    course = courses.get(course_id)
    if course is None:
        return _("There are no applications yet."), None
    rows = await review.list_applications(actor, course.code)
    pages = max(1, -(-len(rows) // PAGE))
    page = min(max(page, 0), pages - 1)
    head = ngettext("{count} application", "{count} applications", len(rows)).format(
        count=len(rows)
    )
    text = "\n".join(
        [
            f"{course.code} {pick(course.title)}",
            head,
            _("Seats taken: {accepted} of {seats}.").format(
                accepted=course.accepted, seats=course.seats
            ),
            _("Priority order: senior officials, then strategic cities (★), then submission."),
        ]
    )
    keyboard = []
    for row in rows[page * PAGE : (page + 1) * PAGE]:
        star = " ★" if row.strategic else ""
        label = f"{row.rank}. {STATUS_ICONS.get(row.status, '')} {row.name} · {row.city}{star}"
        keyboard.append(
            [InlineKeyboardButton(label[:120], callback_data=rv.APPLICATION.pack(app=row.id))]
        )
    nav = []
    if page > 0:
        data = rv.COURSE.pack(course=course_id, page=page - 1)
        nav.append(InlineKeyboardButton(_("◀️ Previous"), callback_data=data))
    if page < pages - 1:
        data = rv.COURSE.pack(course=course_id, page=page + 1)
        nav.append(InlineKeyboardButton(_("Next ▶️"), callback_data=data))
    if nav:
        keyboard.append(nav)
    keyboard.append([InlineKeyboardButton(_("⬅️ Courses"), callback_data=rv.COURSES.pack())])
    return text, InlineKeyboardMarkup(keyboard)


def _when(value) -> str:
    return fmt_datetime(value, zone_name(), current_locale(), fmt="short") if value else "—"


async def detail_screen(actor: UserCtx, app_id: int) -> Screen:
    """One application with every answer and the decision buttons."""
    detail = await review.get_application(actor, app_id)
    if detail is None:
        return _("This application no longer exists."), None
    row, answers = detail.row, detail.answers
    loc = Locale.parse(current_locale())
    country = answers.get("country") or ""
    language = answers.get("language") or ""
    seniority = answers.get("seniority") or ""
    fields = [
        (_("Status"), f"{STATUS_ICONS.get(row.status, '')} {staff_status_label(row.status)}"),
        (_("Priority"), f"{row.rank}" + (" ★ " + _("strategic city") if row.strategic else "")),
        (_("Full name"), row.name),
        (_("Country"), loc.territories.get(country.upper(), country)),
        (_("City"), form_text.city_shown(answers) or "—"),
        (_("Organisation"), answers.get("organisation") or "—"),
        (_("Position"), answers.get("position") or "—"),
        (_("Seniority"), _(SENIORITY_LABELS[seniority]) if seniority in SENIORITY_LABELS else "—"),
        (_("E-mail"), answers.get("email") or "—"),
        (_("Phone"), answers.get("phone") or "—"),
        (_("Preferred language"), loc.languages.get(language, language) or "—"),
        (_("Submitted (Seoul time)"), _when(row.submitted_at)),
        (_("Decided (Seoul time)"), _when(row.decided_at)),
        (_("Decision note"), row.decision_note or "—"),
    ]
    lines = [f"{detail.course_code} {pick(detail.course_title)}", ""]
    lines += [f"{label}: {value}" for label, value in fields]
    lines += ["", _("Motivation") + ":", answers.get("motivation") or "—", ""]
    lines.append(
        _("Seats taken: {accepted} of {seats}.").format(
            accepted=detail.accepted, seats=detail.seats
        )
    )

    def decide(code: str) -> str:
        return rv.DECIDE.pack(app=row.id, version=row.version, decision=code)

    keyboard = [
        [
            InlineKeyboardButton(_("✅ Accept"), callback_data=decide("a")),
            InlineKeyboardButton(_("⏳ Waitlist"), callback_data=decide("w")),
        ],
        [
            InlineKeyboardButton(_("❌ Decline"), callback_data=decide("x")),
            InlineKeyboardButton(_("🔎 Under review"), callback_data=decide("r")),
        ],
        [
            InlineKeyboardButton(
                _("⬅️ List"), callback_data=rv.COURSE.pack(course=row.course_id, page=0)
            )
        ],
    ]
    return "\n".join(lines)[:4000], InlineKeyboardMarkup(keyboard)


def result_text(outcome: str, detail: review.ApplicationDetail | None) -> str:
    """What the staff member is told after pressing a decision (refusals and successes)."""
    name = detail.row.name if detail else ""
    status = staff_status_label(detail.row.status) if detail else ""
    if outcome == "conflict":
        return _("This application was changed by someone else. Please reload it.")
    if outcome == "seats_full":
        seats = detail.seats if detail else 0
        return _(
            "All {seats} seats are taken. Waitlist this applicant instead, or free a seat first."
        ).format(seats=seats)
    if outcome == "not_found":
        return _("This application no longer exists.")
    if outcome == "saved_sent":
        text = _("Saved: {name} — {status}. The trainee has been notified.")
    elif outcome == "saved_blocked":
        text = _("Saved: {name} — {status}. The trainee has blocked the bot and was not notified.")
    else:
        text = _(
            "Saved: {name} — {status}. The trainee cannot be reached right now; the notice "
            "will be delivered automatically."
        )
    return text.format(name=name, status=status)
