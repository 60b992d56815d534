"""Texts of the privacy feature, in the current update's language."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.config import DEFAULT_TIMEZONE
from bot.features.applications.labels import status_label
from bot.features.privacy.erase import Erased
from bot.features.privacy.service import Profile, PurgeReport
from bot.i18n import _, fmt_date, ngettext, pick

# The counts the /mydata summary lists, by document key (literal ngettext calls for extraction).
COUNTED = {
    "postcards": lambda n: ngettext("{n} action-plan postcard", "{n} action-plan postcards", n),
    "evaluations": lambda n: ngettext("{n} follow-up evaluation", "{n} follow-up evaluations", n),
    "survey_responses": lambda n: ngettext(
        "{n} satisfaction survey", "{n} satisfaction surveys", n
    ),
    "questions_to_staff": lambda n: ngettext(
        "{n} question to a person", "{n} questions to a person", n
    ),
    "messages": lambda n: ngettext(
        "{n} message from the bot on record", "{n} messages from the bot on record", n
    ),
}


def retention_text(days: int) -> str:
    """How long data is kept, e.g. '5 years after the end of your last course'."""
    if days % 365 == 0:
        n = days // 365
        span = ngettext("{n} year", "{n} years", n).format(n=n)
    else:
        span = ngettext("{n} day", "{n} days", days).format(n=days)
    return _("{span} after the end of your last course").format(span=span)


def _local_date(profile: Profile, tz: str) -> str:
    """The day the person first wrote, in the reader's zone and locale."""
    return fmt_date(profile.created_at.astimezone(ZoneInfo(tz)).date(), fmt="long")


def _applications(profile: Profile) -> list[str]:
    return [
        _("  – {course} ({code}): {status}").format(
            course=pick(a.title), code=a.course_code, status=status_label(a.status)
        )
        for a in profile.applications
    ]


def mydata_text(profile: Profile, tz: str, retention_days: int) -> str:
    """The readable summary sent with the /mydata file."""
    lines = [
        _("This is what the bot stores about you; the attached file holds every detail."),
        "",
        _("• Name: {name}").format(name=profile.name),
        _("• Known to the bot since {date}").format(date=_local_date(profile, tz)),
    ]
    if profile.email:
        lines.append(_("• E-mail: {email}").format(email=profile.email))
    if profile.phone:
        lines.append(_("• Phone: {phone}").format(phone=profile.phone))
    if profile.applications:
        lines.append(_("• Applications:"))
        lines += _applications(profile)
    for key, counted in COUNTED.items():
        n = profile.counts.get(key, 0)
        if n:
            lines.append("• " + counted(n).format(n=n))
    lines += [
        "",
        _("We keep these data for {period}, then delete them. /forget deletes them now.").format(
            period=retention_text(retention_days)
        ),
    ]
    return "\n".join(lines)


def forget_text() -> str:
    """What /forget deletes and what stays, before the person confirms."""
    return _(
        "Delete your personal data?\n\n"
        "Deleted: your name, Telegram account, e-mail, phone, organisation and position, "
        "your application answers (including your motivation), the texts of your postcards, "
        "evaluations and survey comments, your questions to our staff, and messages still "
        "waiting to be sent to you.\n\n"
        "Kept, without anything that could identify you: that someone from your country and "
        "city took part in a course, and their anonymous answers and scores, so the "
        "programme's statistics stay correct.\n\n"
        "This cannot be undone. You will no longer receive follow-ups from us."
    )


def forgotten_text() -> str:
    """The last message after a person's own erasure."""
    return _(
        "Your personal data have been deleted. If you write to me again, we start afresh "
        "as if we had never met."
    )


def staff_preview(profile: Profile, tz: str = DEFAULT_TIMEZONE) -> str:
    """Who a deletion request concerns, for staff to confirm."""
    lines = [
        _("Deletion request: erase the personal data of this person?"),
        "",
        _("• Name: {name}").format(name=profile.name),
        _("• Telegram id: {id}").format(id=profile.telegram_id),
    ]
    if profile.username:
        lines.append(_("• Username: @{username}").format(username=profile.username))
    if profile.email:
        lines.append(_("• E-mail: {email}").format(email=profile.email))
    since = _local_date(profile, tz)
    lines.append(_("• Known to the bot since {date}").format(date=since))
    if profile.applications:
        lines.append(_("• Applications:"))
        lines += _applications(profile)
    else:
        lines.append(_("• No applications"))
    return "\n".join(lines)


def erased_text(result: Erased) -> str:
    """Staff's confirmation that an erasure happened (no personal data in it)."""
    return _(
        "Done: the personal data of person #{id} are erased. The audit log records the erasure."
    ).format(id=result.person_id)


def purge_text(report: PurgeReport) -> str:
    """The command line's report of a retention run (English, for operators)."""
    verb = "would erase" if report.dry_run else "erased"
    return (
        f"Retention cut-off {report.cutoff.isoformat()}: {verb} {report.trainees} past "
        f"trainee(s) and {report.idle} person(s) who never applied."
    )
