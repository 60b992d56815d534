"""Texts of the roles feature, in the reader's language (staff screens, the invitee's welcome)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_time

from bot.features.roles.service import GrantResult, InviteView, RedeemResult, RoleError, RoleView
from bot.i18n import N_, _, babel_locale, fmt_date, pick

ROLE_LABELS = {"staff": N_("programme staff"), "liaison": N_("liaison officer")}


def usage(command: str) -> str:
    """How a staff command is written, with an example (shown on any usage error)."""
    if command == "grant":
        return _(
            "How to grant a role:\n"
            "/grant <telegram_id> liaison <ORG_CODE> [COURSE_CODE…]\n"
            "/grant <telegram_id> staff\n"
            "Or send the same command without the id as a reply to a message forwarded from "
            "that person.\n"
            "Example: /grant 123456789 liaison CITYNET 2018-04"
        )
    if command == "revoke":
        return _(
            "How to revoke a role:\n"
            "/revoke <telegram_id> liaison [ORG_CODE or COURSE_CODE]\n"
            "/revoke <telegram_id> staff\n"
            "Without a code the whole role is revoked. Or send the command without the id as a "
            "reply to a message forwarded from that person.\n"
            "Example: /revoke 123456789 liaison CITYNET"
        )
    return _(
        "How to create an invite link for a liaison officer:\n"
        "/invite liaison <ORG_CODE> [COURSE_CODE…]\n"
        "Example: /invite liaison CITYNET"
    )


def error_text(err: RoleError) -> str:
    """A RoleError (or a targeting problem found by the handler) in words."""
    p = err.params
    texts = {
        "unknown_person": lambda: _(
            "Person {id} has not talked to the bot yet. Ask them to send /start to the bot "
            "first, or create an invite link with /invite."
        ).format(id=p.get("telegram_id")),
        "unknown_code": lambda: _("Unknown organisation or course code: {code}.").format(
            code=p.get("code")
        ),
        "two_orgs": lambda: _("Give one organisation at a time."),
        "no_scope": lambda: _("A liaison role needs an organisation code or a course code."),
        "staff_scope": lambda: _("The staff role has no organisation or course."),
        "bad_role": lambda: _("Unknown role {role}. The roles are: staff, liaison.").format(
            role=p.get("role")
        ),
        "config_staff": lambda: _(
            "{id} is staff because of the ADMIN_IDS setting in the bot's configuration, so it "
            "cannot be revoked here. Remove the id from ADMIN_IDS and restart the bot."
        ).format(id=p.get("telegram_id")),
        "hidden_forward": lambda: _(
            "This person hides their account in forwarded messages, so I cannot tell who they "
            "are. Send them an invite link instead: /invite liaison <ORG_CODE>"
        ),
        "not_a_person": lambda: _(
            "That message was not forwarded from a person. Reply to a message forwarded from "
            "them, or give their Telegram id."
        ),
    }
    make = texts.get(err.code)
    if make is None:
        return _("Sorry, something went wrong on our side. Please try again in a moment.")
    return make()


def scope_text(org_code: str | None, course_codes: Sequence[str], org_name: str = "") -> str:
    """An organisation (meaning all its courses) and listed courses, e.g. 'CITYNET, 2018-08'."""
    parts = []
    if org_code:
        parts.append(_("{org} (all its courses)").format(org=org_name or org_code))
    parts += list(course_codes)
    return ", ".join(parts)


def _who(name: str, telegram_id: int) -> str:
    return f"{name} ({telegram_id})"


def grant_text(result: GrantResult) -> str:
    """What a /grant did."""
    who = _who(result.name, result.telegram_id)
    if not result.changed:
        return _("{who} already has this role. Nothing changed.").format(who=who)
    if result.role == "staff":
        return _("Done: {who} is now programme staff.").format(who=who)
    scope = scope_text(result.org_code, result.course_codes)
    return _("Done: {who} is now a liaison officer for {scope}.").format(who=who, scope=scope)


def revoke_text(result: GrantResult) -> str:
    """What a /revoke did."""
    who = _who(result.name, result.telegram_id)
    if not result.changed:
        return _("{who} does not have this role. Nothing changed.").format(who=who)
    role = _(ROLE_LABELS[result.role])
    scope = scope_text(result.org_code, result.course_codes)
    if scope:
        return _("Revoked: {who} is no longer {role} for {scope}.").format(
            who=who, role=role, scope=scope
        )
    return _("Revoked: {who} is no longer {role}.").format(who=who, role=role)


def roles_text(views: list[RoleView]) -> str:
    """/roles: one line per person and role, scopes joined."""
    if not views:
        return _("Nobody has a role yet.")
    grouped: dict[tuple[int, str], list[RoleView]] = {}
    for view in views:
        grouped.setdefault((view.telegram_id, view.role), []).append(view)
    lines = [_("People with roles:")]
    for (telegram_id, role), items in grouped.items():
        label = _(ROLE_LABELS.get(role, role))
        if any(v.from_config for v in items):
            label = _("{role} (set in ADMIN_IDS)").format(role=label)
        orgs = [v.org_code for v in items if v.org_code]
        courses = [v.course_code for v in items if v.course_code]
        scope = ", ".join([scope_text(o, ()) for o in orgs] + courses)
        line = f"• {_who(items[0].name, telegram_id)} — {label}"
        lines.append(f"{line}: {scope}" if scope else line)
    return "\n".join(lines)


def expiry_text(when: datetime, zone: str) -> str:
    """An instant as a long date and short time in the reader's language and the given zone."""
    local = when.astimezone(ZoneInfo(zone))
    clock = format_time(local, "short", locale=babel_locale())
    return f"{fmt_date(local.date(), fmt='long')} {clock} ({zone})"


def invite_text(link: str, invite: InviteView, zone: str) -> str:
    """The reply to /invite: the link, what it grants, until when."""
    return _(
        "Invite link for a liaison officer of {scope}:\n{link}\n\n"
        "It works once, for the first person who opens it, until {expires}. "
        "Send it only to that person."
    ).format(
        scope=scope_text(invite.org_code, invite.course_codes),
        link=link,
        expires=expiry_text(invite.expires_at, zone),
    )


def redeem_text(result: RedeemResult) -> str:
    """What the person who opened an invite link reads, in their own language."""
    if result.ok:
        scope = scope_text(result.org_code, result.course_codes, pick(result.org_name or {}))
        return _(
            "Welcome! You are now a liaison officer for {scope}.\n"
            "You can send announcements to the trainees and alumni of these courses with "
            "/broadcast."
        ).format(scope=scope)
    if result.reason == "used":
        return _("This invite link has already been used. Ask the programme staff for a new one.")
    if result.reason == "expired":
        return _("This invite link has expired. Ask the programme staff for a new one.")
    return _("This invite link is not valid. Ask the programme staff for a new one.")
