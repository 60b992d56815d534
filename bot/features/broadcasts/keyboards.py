"""The wizard's screens: text and buttons in the sender's language (data in buttons.py)."""

from __future__ import annotations

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup

from bot.features.broadcasts import buttons as br
from bot.features.broadcasts.audience import ADDRESSABLE_STATUSES, Audience, Options
from bot.features.broadcasts.service import Draft, Report
from bot.i18n import LANGUAGE_NAMES, LOCALES, N_, _, babel_locale, fmt_datetime, ngettext, pick

# Callback codes of the filter kinds, kept to one letter so data stays under 64 bytes.
KIND_CODES = {
    "c": "courses",
    "s": "statuses",
    "y": "years",
    "n": "countries",
    "t": "cities",
    "l": "languages",
}
KIND_LABELS = {
    "c": N_("👥 Course cohort"),
    "s": N_("📝 Applicants by status"),
    "y": N_("🎓 Alumni of a year"),
    "n": N_("🌍 Country"),
    "t": N_("🏙 City"),
    "l": N_("🗣 Language"),
}
STATUS_LABELS = {
    "submitted": N_("submitted"),
    "under_review": N_("under review"),
    "accepted": N_("accepted"),
    "waitlisted": N_("waitlisted"),
    "declined": N_("declined"),
    "withdrawn": N_("withdrawn"),
}
STATE_LABELS = {
    "draft": N_("draft"),
    "scheduled": N_("scheduled"),
    "sending": N_("sending"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
}


def _mark(on: bool, label: str) -> str:
    return ("✅ " if on else "▫️ ") + label


def reach_text(n: int) -> str:
    """How many chats the audience reaches."""
    return ngettext("It reaches {n} recipient.", "It reaches {n} recipients.", n).format(n=n)


def summary(a: Audience) -> str:
    """The chosen filters, one line each; "no filter yet" when empty."""
    lines = []
    if a.courses:
        statuses = ", ".join(_(STATUS_LABELS[s]) for s in a.statuses)
        lines.append(
            _("Courses: {codes} ({statuses})").format(
                codes=", ".join(a.courses), statuses=statuses
            )
        )
    if a.years:
        lines.append(_("Alumni of: {years}").format(years=", ".join(map(str, a.years))))
    if a.countries:
        names = babel_locale().territories
        lines.append(
            _("Countries: {names}").format(names=", ".join(names.get(c, c) for c in a.countries))
        )
    if a.cities:
        lines.append(_("Cities: {names}").format(names=", ".join(a.cities)))
    if a.languages:
        lines.append(
            _("Languages: {names}").format(names=", ".join(LANGUAGE_NAMES[x] for x in a.languages))
        )
    if a.include_groups:
        lines.append(_("Also the courses' group chats."))
    return "\n".join(lines) or _("No filter chosen yet.")


def menu_screen(draft: Draft, staff: bool) -> tuple[str, Markup]:
    """Step "audience": the filters so far, the reach, and what can be added."""
    text = "\n\n".join(
        [
            _(
                "New announcement. Choose who receives it. Different kinds of filters combine "
                "(all must match); several choices of one kind add up."
            ),
            summary(draft.audience),
            reach_text(draft.reach),
        ]
    )
    kinds = list(KIND_CODES)
    rows = [
        [Button(_(KIND_LABELS[k]), callback_data=br.PICK.pack(kind=k)) for k in kinds[i : i + 2]]
        for i in range(0, len(kinds), 2)
    ]
    rows.append(
        [
            Button(
                _mark(draft.audience.include_groups, _("Course group chats")),
                callback_data=br.GROUPS.pack(),
            )
        ]
    )
    if staff:
        rows.append(
            [Button(_mark(draft.paid, _("Paid broadcast (faster)")), callback_data=br.PAID.pack())]
        )
    rows.append(
        [
            Button(_("Clear filters"), callback_data=br.CLEAR.pack()),
            Button(_("Next: the message ➡️"), callback_data=br.WRITE.pack()),
        ]
    )
    rows.append([Button(_("✖️ Discard"), callback_data=br.DISCARD.pack())])
    return text, Markup(rows)


def picker_screen(code: str, opts: Options, draft: Draft) -> tuple[str, Markup]:
    """Step "pick:<code>": toggle buttons for one kind of filter."""
    a, loc = draft.audience, babel_locale()
    if code == "c":
        items = [(str(i), f"{c} {pick(t)}"[:40], c in a.courses) for i, c, t in opts.courses]
    elif code == "s":
        items = [(s, _(STATUS_LABELS[s]), s in a.statuses) for s in ADDRESSABLE_STATUSES]
    elif code == "y":
        items = [(str(y), str(y), y in a.years) for y in opts.years]
    elif code == "n":
        items = [(c, loc.territories.get(c, c), c in a.countries) for c in opts.countries]
    elif code == "t":
        items = [(str(i), name, key in a.cities) for i, key, name in opts.cities]
    else:
        items = [(x, LANGUAGE_NAMES[x], x in a.languages) for x in LOCALES]
    hint = {
        "s": _("Applicants of the chosen courses with these statuses (choose courses too)."),
        "y": _("People accepted in any course of the chosen years."),
    }.get(code, _("Choose one or more:"))
    text = "\n\n".join([_(KIND_LABELS[code]), hint, reach_text(draft.reach)])
    buttons = [
        Button(_mark(on, label), callback_data=br.TOGGLE.pack(kind=code, value=value))
        for value, label, on in items[:40]
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([Button(_("⬅️ Done"), callback_data=br.MENU.pack())])
    return text, Markup(rows)


def text_prompt(draft: Draft, loc: str) -> str:
    """Step "text" / "text:<loc>": ask for the message or one more version of it."""
    if loc == draft.sender_locale:
        return _(
            "Send the text of the announcement (up to 4,096 characters), or a photo or "
            "document with a caption (up to 1,024 characters)."
        )
    return _("Send the {language} version of the text (same limits).").format(
        language=LANGUAGE_NAMES[loc]
    )


def too_long(limit: int) -> str:
    """Why a text was refused."""
    return _("This is too long: the limit is {limit} characters. Please shorten it.").format(
        limit=limit
    )


def versions_screen(draft: Draft) -> tuple[str, Markup]:
    """Step "versions": the languages written; add another, or preview."""
    written = ", ".join(LANGUAGE_NAMES[x] for x in LOCALES if x in draft.texts)
    text = "\n\n".join(
        [
            _("Versions written: {languages}.").format(languages=written),
            _(
                "Each recipient gets the version in their language, otherwise yours. "
                "Add a version in another language, or look at the preview."
            ),
        ]
    )
    extra = [
        Button("+ " + LANGUAGE_NAMES[x], callback_data=br.VERSION.pack(locale=x))
        for x in LOCALES
        if x not in draft.texts
    ]
    rows = [extra[i : i + 3] for i in range(0, len(extra), 3)]
    rows.append([Button(_("👁 Preview"), callback_data=br.PREVIEW.pack())])
    rows.append(
        [
            Button(_("✏️ Rewrite"), callback_data=br.VERSION.pack(locale=draft.sender_locale)),
            Button(_("⬅️ Audience"), callback_data=br.MENU.pack()),
        ]
    )
    return text, Markup(rows)


def preview_label(loc: str) -> str:
    """The line before each preview message."""
    return _("Preview — {language} version:").format(language=LANGUAGE_NAMES[loc])


def confirm_screen(draft: Draft) -> tuple[str, Markup]:
    """After the previews: send now, schedule, or go back."""
    text = "\n\n".join(
        [
            _("This is how the recipients will see it."),
            summary(draft.audience),
            reach_text(draft.reach),
        ]
    )
    rows = [
        [
            Button(_("🚀 Send now"), callback_data=br.SEND.pack()),
            Button(_("🕒 Schedule"), callback_data=br.SCHEDULE.pack()),
        ],
        [
            Button(_("⬅️ Back"), callback_data=br.VERSIONS.pack()),
            Button(_("✖️ Discard"), callback_data=br.DISCARD.pack()),
        ],
    ]
    return text, Markup(rows)


def when_prompt() -> str:
    """Step "when"."""
    return _(
        "When should it be sent? Type the date and time in Seoul time, e.g. 2018-04-10 09:00."
    )


def progress_screen(broadcast_id: int, n: int) -> tuple[str, Markup]:
    """The progress message the engine updates, with its stop button."""
    text = ngettext("Sending to {n} recipient…", "Sending to {n} recipients…", n).format(n=n)
    stop = Button(_("⏹ Cancel sending"), callback_data=br.STOP.pack(id=broadcast_id))
    return text, Markup([[stop]])


def reports_screen(reports: list[Report], tz: str) -> tuple[str, Markup | None]:
    """/broadcasts: the latest broadcasts with delivery counts; cancel buttons where useful."""
    if not reports:
        return _("There are no broadcasts yet."), None
    blocks, rows = [_("Your latest broadcasts:")], []
    for r in reports:
        when = fmt_datetime(r.scheduled_at or r.created_at, tz, fmt="short")
        c = r.counts
        blocks.append(
            "\n".join(
                [
                    f"#{r.id} · {_(STATE_LABELS[r.state])} · {when}",
                    summary(r.audience).replace("\n", "; "),
                    _("sent {sent}, failed {failed}, blocked {blocked}, waiting {pending}").format(
                        sent=c.get("sent", 0),
                        failed=c.get("failed", 0),
                        blocked=c.get("blocked", 0),
                        pending=c.get("pending", 0) + c.get("sending", 0),
                    ),
                ]
            )
        )
        if r.state in ("scheduled", "sending"):
            label = _("✖️ Cancel #{id}").format(id=r.id)
            rows.append([Button(label, callback_data=br.CANCEL.pack(id=r.id))])
    return "\n\n".join(blocks), Markup(rows) if rows else None
