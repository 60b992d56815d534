"""The year's figures as a text report in the reader's language (Telegram message and CLI)."""

from __future__ import annotations

from babel.numbers import format_decimal

from bot.features.schedule.labels import THEME_LABELS, TYPE_LABELS
from bot.features.stats.figures import APPLICATIONS, PLAN, CourseFigures, YearStats
from bot.i18n import Translator, pick, translator

LIMIT = 4000  # Telegram caps a message at 4096 characters


def _num(value: float | None, locale: str) -> str:
    return "—" if value is None else format_decimal(value, format="0.00", locale=locale)


def _places(tr: Translator, countries: int, cities: int) -> str:
    return "{}, {}".format(
        tr.ngettext("{count} country", "{count} countries", countries).format(count=countries),
        tr.ngettext("{count} city", "{count} cities", cities).format(count=cities),
    )


def _counts(tr: Translator, courses: int, people: int, basis: str) -> str:
    course_text = tr.ngettext("{count} course", "{count} courses", courses).format(count=courses)
    if basis == PLAN:
        people_text = tr.ngettext("{count} seat planned", "{count} seats planned", people).format(
            count=people
        )
    else:
        people_text = tr.ngettext("{count} trainee", "{count} trainees", people).format(
            count=people
        )
    return f"{course_text}, {people_text}"


def _course_line(tr: Translator, c: CourseFigures) -> str:
    if c.basis == PLAN:
        who = tr.ngettext("{count} seat planned", "{count} seats planned", c.seats).format(
            count=c.seats
        )
    elif c.basis == APPLICATIONS:
        who = tr.ngettext(
            "{count} accepted application", "{count} accepted applications", c.trainees or 0
        ).format(count=c.trainees or 0)
    else:
        who = tr.ngettext("{count} trainee", "{count} trainees", c.trainees or 0).format(
            count=c.trainees or 0
        )
    score = _num(c.satisfaction, tr.locale)
    if c.satisfaction_source == "survey":
        score = tr.gettext("{score} (survey)").format(score=score)
    title = pick(c.title, tr.locale)
    return f"• {c.code} {title} — {who} · {score}"


def _basis(tr: Translator, basis: str) -> str:
    if basis == PLAN:
        return tr.gettext("planned seats (no trainees recorded yet)")
    if basis == APPLICATIONS:
        return tr.gettext("trainees counted from accepted applications")
    return tr.gettext("recorded results")


def _groups(tr: Translator, groups: dict, labels: dict, basis: str) -> list[str]:
    key = "seats" if basis == PLAN else "trainees"
    return [
        f"• {tr.gettext(labels[g]) if g in labels else tr.gettext('Theme not set')}: "
        + _counts(tr, f.courses, getattr(f, key), basis)
        for g, f in groups.items()
        if f.courses
    ]


def report(stats: YearStats, locale: str) -> str:
    """The whole report: totals, types, themes, follow-ups, repeat cities, cumulative, courses."""
    tr = translator(locale)
    lines = [
        tr.gettext("📊 Statistics for {year}").format(year=stats.year),
        tr.gettext("Basis: {basis}").format(basis=_basis(tr, stats.basis)),
    ]
    if not stats.courses:
        lines.append(tr.gettext("There are no courses in this year."))
        return "\n".join(lines)
    people = stats.seats if stats.basis == PLAN else stats.trainees
    lines.append(
        f"{_counts(tr, stats.courses, people, stats.basis)}, "
        f"{_places(tr, stats.countries, stats.cities)}"
    )
    lines.append(
        tr.gettext("Satisfaction (mean of the courses): {value}").format(
            value=_num(stats.satisfaction_mean, tr.locale)
        )
    )
    lines += ["", tr.gettext("By course type")]
    lines += _groups(tr, stats.by_type, TYPE_LABELS, stats.basis)
    lines += ["", tr.gettext("By theme")]
    lines += _groups(tr, stats.by_theme, THEME_LABELS, stats.basis)
    f = stats.funnel
    lines += [
        "",
        tr.gettext(
            "Follow-ups: postcards written {written} → returned {returned} → evaluations "
            "answered {answered} → applied at home {applied}"
        ).format(
            written=f.postcards_written,
            returned=f.postcards_returned,
            answered=f.evaluations_answered,
            applied=f.applied_at_home,
        ),
    ]
    names = [pick(stats.repeat_city_names.get(k), tr.locale) or k for k in stats.repeat_cities]
    lines.append(
        tr.gettext("Cities that also took part in an earlier year: {count}{names}").format(
            count=len(names), names=f" ({', '.join(names)})" if names else ""
        )
    )
    cum = stats.cumulative
    first = cum.first_year or stats.year
    period = str(stats.year) if first == stats.year else f"{first}–{stats.year}"
    figures = (
        f"{_counts(tr, cum.courses, cum.trainees, 'results')}, "
        f"{_places(tr, cum.countries, cum.cities)}"
    )
    lines.append(
        tr.gettext("Cumulative ({period}): {figures}").format(period=period, figures=figures)
    )
    lines += ["", tr.gettext("Courses (trainees · satisfaction)")]
    lines += [_course_line(tr, c) for c in stats.by_course]
    text = "\n".join(lines)
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"
