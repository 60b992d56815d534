"""The import report and the /editcourse reply, in the reader's language."""

from __future__ import annotations

from bot.features.importer.columns import column
from bot.features.importer.service import EditOutcome, ImportOutcome
from bot.features.importer.validation import RowError
from bot.i18n import N_, Translator

KIND_LABELS = {"courses": N_("Courses"), "sessions": N_("Sessions"), "results": N_("Results")}


def error_line(error: RowError, tr: Translator) -> str:
    """One bad cell: sheet, row as the spreadsheet shows it, column, value and why."""
    reason = tr.gettext(error.reason).format(**error.params)
    if error.row == 0:  # a field typed into /editcourse, not a spreadsheet row
        return tr.gettext("{column} “{value}”: {reason}").format(
            column=error.column, value=error.value, reason=reason
        )
    if not error.value:
        return tr.gettext("{sheet}, row {row}, {column}: {reason}").format(
            sheet=error.sheet, row=error.row, column=error.column, reason=reason
        )
    return tr.gettext("{sheet}, row {row}, {column} “{value}”: {reason}").format(
        sheet=error.sheet, row=error.row, column=error.column, value=error.value, reason=reason
    )


def _counts(outcome: ImportOutcome, tr: Translator) -> list[str]:
    lines = []
    for kind, counts in outcome.counts.items():
        if not (counts.created or counts.updated or counts.unchanged or counts.deleted):
            continue
        line = tr.gettext("{kind}: {created} created, {updated} updated, {unchanged} unchanged")
        line = line.format(
            kind=tr.gettext(KIND_LABELS[kind]),
            created=counts.created,
            updated=counts.updated,
            unchanged=counts.unchanged,
        )
        if counts.deleted:
            line += tr.gettext(", {deleted} removed").format(deleted=counts.deleted)
        lines.append("• " + line)
    if outcome.new_cities:
        lines.append(
            tr.gettext("New cities added: {names}").format(names=", ".join(outcome.new_cities))
        )
    return lines


def outcome_text(outcome: ImportOutcome, tr: Translator, *, max_errors: int | None = None) -> str:
    """The whole report of one import."""
    name = outcome.filename
    if outcome.refused is not None:
        reason, params = outcome.refused
        return tr.gettext("{name} was not imported: {reason}").format(
            name=name, reason=tr.gettext(reason).format(**params)
        )
    if outcome.errors:
        n = len(outcome.errors)
        head = tr.ngettext(
            "{name} has {n} error; nothing was changed. Fix it and send the file again:",
            "{name} has {n} errors; nothing was changed. Fix them and send the file again:",
            n,
        ).format(name=name, n=n)
        shown = outcome.errors if max_errors is None else outcome.errors[:max_errors]
        lines = [head, *("• " + error_line(e, tr) for e in shown)]
        if len(shown) < n:
            more = n - len(shown)
            lines.append(
                tr.ngettext("… and {n} more error", "… and {n} more errors", more).format(n=more)
            )
        return "\n".join(lines)
    if outcome.dry_run:
        head = tr.gettext("{name} has no errors. Nothing was written (check only); it would do:")
    elif outcome.changed:
        head = tr.gettext("{name} was imported:")
    else:
        head = tr.gettext("{name} was imported: nothing changed, the rows were already there.")
    return "\n".join([head.format(name=name), *_counts(outcome, tr)])


def edit_text(outcome: EditOutcome, tr: Translator) -> str:
    """The reply to /editcourse: old and new value, or why the change was refused."""
    if outcome.errors:
        lines = [tr.gettext("Course {code} was not changed:").format(code=outcome.code)]
        lines += ["• " + error_line(e, tr) for e in outcome.errors]
        return "\n".join(lines)
    # The field under the name the reader's template uses for it.
    label = column("courses", outcome.field).ko if tr.locale == "ko" else outcome.field
    if outcome.old == outcome.new:
        return tr.gettext("Course {code}: {field} is already “{value}”; nothing changed.").format(
            code=outcome.code, field=label, value=outcome.new or "—"
        )
    return tr.gettext("Course {code}: {field} changed from “{old}” to “{new}”.").format(
        code=outcome.code, field=label, old=outcome.old or "—", new=outcome.new or "—"
    )
