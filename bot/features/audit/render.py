"""The audit log in the reader's language: action labels, one entry as text, the export sheet."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from bot.core.sheets import Column, Sheet, wall_clock
from bot.features.applications.labels import STATUS_LABELS
from bot.features.audit.service import AuditRow
from bot.features.followups.labels import KIND_LABELS
from bot.i18n import N_, Translator, babel_locale, fmt_datetime

# Every action code written with bot.core.audit.record (grep "record(" under bot/).
ACTION_LABELS = {
    "application.submit": N_("application submitted"),
    "application.withdraw": N_("application withdrawn"),
    "application.decide": N_("application decided"),
    "application.offer": N_("seat offered from the waiting list"),
    "application.offer_taken": N_("offered seat taken"),
    "application.offer_declined": N_("offered seat declined"),
    "application.offer_lapsed": N_("seat offer lapsed"),
    "role.grant": N_("role granted"),
    "role.revoke": N_("role revoked"),
    "role.invite": N_("invite link created"),
    "role.redeem": N_("invite link used"),
    "broadcast.send": N_("broadcast sent"),
    "broadcast.schedule": N_("broadcast scheduled"),
    "broadcast.cancel": N_("broadcast cancelled"),
    "followup.move": N_("follow-up moved"),
    "followup.cancel": N_("follow-up cancelled"),
    "privacy.erase": N_("personal data erased"),
    "export.workbook": N_("workbook exported"),
    "export.sheet": N_("sheet exported"),
    "export.applications": N_("applications exported"),
    "audit.export": N_("audit log exported"),
    "import.spreadsheet": N_("spreadsheet imported"),
    "course.edit": N_("course field corrected"),
    "privacy.purge": N_("retention purge"),
    "stats.view": N_("statistics viewed"),
}
TARGET_LABELS = {
    "application": N_("application"),
    "person": N_("person"),
    "broadcast": N_("broadcast"),
    "outbox": N_("follow-up"),
    "role_invite": N_("invite link"),
    "course": N_("course"),
}
COLUMNS = (
    Column("at", N_("When"), 17, "datetime"),
    Column("who", N_("Who"), 22),
    Column("what", N_("What"), 28),
    Column("action", N_("Action code"), 22),
    Column("target", N_("Target"), 30),
    Column("note", N_("Note"), 30),
    Column("details", N_("Details"), 50),
)


def who(row: AuditRow, tr: Translator) -> str:
    """The person who acted; else the command line or the bot itself (its jobs)."""
    if row.actor:
        return row.actor
    if row.details.get("via") == "cli":
        return tr.gettext(N_("the command line"))
    return tr.gettext(N_("the bot (automatic)"))


def what(row: AuditRow, tr: Translator) -> str:
    """The action's label, with the decision, follow-up or row count where it says more."""
    text = tr.gettext(ACTION_LABELS[row.action]) if row.action in ACTION_LABELS else row.action
    details = row.details
    extra = None
    # Labels are looked up first: a literal inside gettext(...) would be extracted as a msgid.
    decision, kind = (
        STATUS_LABELS.get(details.get("decision")),
        KIND_LABELS.get(details.get("kind")),
    )
    if row.action == "application.decide" and decision:
        extra = tr.gettext(decision)
    elif row.action.startswith("followup.") and kind:
        extra = tr.gettext(kind)
    elif isinstance(details.get("rows"), int | dict):
        rows = details["rows"]
        count = sum(rows.values()) if isinstance(rows, dict) else rows
        extra = tr.ngettext("{count} row", "{count} rows", count).format(count=count)
    return f"{text}: {extra}" if extra else text


def target(row: AuditRow, tr: Translator) -> str:
    """What was acted on: a name where known, else its kind and number."""
    if row.target_type is None:
        return ""
    kind = row.target_type
    label = tr.gettext(TARGET_LABELS[kind]) if kind in TARGET_LABELS else kind
    if row.target:
        return f"{label} · {row.target}"
    return f"{label} {row.target_id}" if kind == "course" else f"{label} #{row.target_id}"


def when(row: AuditRow, tr: Translator, zone: str) -> str:
    """The entry's time: the locale's numeric date and 24-hour time ("2018. 6. 3. 17:00")."""
    # CLDR's short Korean time is "PM 5:00" (English day periods): 24 hours read better.
    skeletons = babel_locale(tr.locale).datetime_skeletons
    pattern = "short"
    if "yMd" in skeletons and "Hm" in skeletons:
        pattern = f"{skeletons['yMd'].pattern} {skeletons['Hm'].pattern}"
    return fmt_datetime(row.at, zone, tr.locale, fmt=pattern)


def entry_text(row: AuditRow, tr: Translator, zone: str) -> str:
    """One entry for the /audit screen and the command line."""
    when_text = when(row, tr, zone)
    lines = [f"🕒 {when_text} · {who(row, tr)}", f"• {what(row, tr)}"]
    aim = target(row, tr)
    if aim:
        lines[-1] += f" — {aim}"
    if row.note:
        lines.append(f"  “{row.note[:200]}”")
    return "\n".join(lines)


def log_sheet(rows: list[AuditRow], tr: Translator, zone: str) -> Sheet:
    """The log as one sheet (times as wall clock in `zone`)."""
    tz = ZoneInfo(zone)
    values = [
        {
            "at": wall_clock(r.at, tz),
            "who": who(r, tr),
            "what": what(r, tr),
            "action": r.action,
            "target": target(r, tr),
            "note": r.note or "",
            "details": json.dumps(r.details, ensure_ascii=False, sort_keys=True)
            if r.details
            else "",
        }
        for r in rows
    ]
    return Sheet("audit", tr.gettext(N_("Audit log")), COLUMNS, values)
