"""Telegram handlers of the roles feature: /grant, /revoke, /invite, /roles and invite links.

Staff name the person by Telegram id, or reply with the command to a message forwarded from
that person (or, in a group, to a message they wrote). Everything else is in the service.
"""

from __future__ import annotations

import re

from telegram import Message, MessageOriginHiddenUser, MessageOriginUser, Update
from telegram.ext import Application, CommandHandler

from bot.core.authz import staff_only
from bot.core.context import BotContext
from bot.core.menus import refresh_chat_menu
from bot.core.registry import CommandInfo, add_command, add_start_payload
from bot.features.roles import render, service
from bot.features.roles.service import RoleError
from bot.i18n import N_

TELEGRAM_ID = re.compile(r"^\d{1,15}$")  # Telegram ids fit in 52 bits; longer is a typo


class UsageError(Exception):
    """The command was not written as its syntax says."""


def _forwarded_from(reply: Message, sender_id: int) -> int:
    """The Telegram id behind the message staff replied to, or a RoleError saying why not."""
    origin = reply.forward_origin
    if isinstance(origin, MessageOriginUser):
        return origin.sender_user.id
    if isinstance(origin, MessageOriginHiddenUser):
        raise RoleError("hidden_forward")
    if origin is None and reply.from_user and not reply.from_user.is_bot:
        # In a group (e.g. the liaison chat) staff can reply to the person's own message.
        if reply.from_user.id != sender_id:
            return reply.from_user.id
    raise RoleError("not_a_person")


def _target(update: Update, args: list[str]) -> tuple[int, list[str]]:
    """(telegram id, remaining words) from `<id> …` or from the replied-to message."""
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    if args and TELEGRAM_ID.match(args[0]):
        return int(args[0]), args[1:]
    if message.reply_to_message is not None:
        return _forwarded_from(message.reply_to_message, update.effective_user.id), args
    raise UsageError


async def _run(update: Update, context: BotContext, command: str, action) -> None:
    """Run `action` (returns the reply), map usage and service errors to text."""
    message = update.effective_message
    assert message is not None
    try:
        text = await action(list(context.args or []))
    except UsageError:
        text = render.usage(command)
    except RoleError as err:
        text = render.error_text(err)
    await message.reply_text(text)


async def _refresh_menu(context: BotContext, telegram_id: int) -> None:
    """Give the person the command menu of their roles now, not at the next restart."""
    roles, locale = await service.menu_roles(telegram_id, context.settings.admin_ids)
    await refresh_chat_menu(context.application, telegram_id, roles, locale)


@staff_only
async def grant_command(update: Update, context: BotContext) -> None:
    """/grant <id> liaison <ORG> [COURSE…] | /grant <id> staff (or as a reply to a forward)."""

    async def action(args: list[str]) -> str:
        telegram_id, rest = _target(update, args)
        if not rest:
            raise UsageError
        role, codes = rest[0].lower(), rest[1:]
        assert context.user is not None
        if role == "staff":
            result = await service.grant(context.user, telegram_id, "staff")
        elif role == "liaison":
            if not codes:
                raise UsageError
            org, courses = await service.split_codes(codes)
            result = await service.grant(
                context.user, telegram_id, "liaison", org_code=org, course_codes=courses
            )
        else:
            raise RoleError("bad_role", role=rest[0])
        if result.changed:
            await _refresh_menu(context, telegram_id)
        return render.grant_text(result)

    await _run(update, context, "grant", action)


@staff_only
async def revoke_command(update: Update, context: BotContext) -> None:
    """/revoke <id> liaison [ORG|COURSE] | /revoke <id> staff (or as a reply to a forward)."""

    async def action(args: list[str]) -> str:
        telegram_id, rest = _target(update, args)
        if not rest or len(rest) > 2:
            raise UsageError
        role = rest[0].lower()
        if role not in service.ROLES:
            raise RoleError("bad_role", role=rest[0])
        org, courses = await service.split_codes(rest[1:]) if len(rest) == 2 else (None, ())
        assert context.user is not None
        result = await service.revoke(
            context.user,
            telegram_id,
            role,
            org_code=org,
            course_code=courses[0] if courses else None,
            admin_ids=context.settings.admin_ids,
        )
        if result.changed:
            await _refresh_menu(context, telegram_id)
        return render.revoke_text(result)

    await _run(update, context, "revoke", action)


@staff_only
async def invite_command(update: Update, context: BotContext) -> None:
    """/invite liaison <ORG> [COURSE…]: a one-time deep link and when it expires."""

    async def action(args: list[str]) -> str:
        if len(args) < 2 or args[0].lower() != "liaison":
            raise UsageError
        org, courses = await service.split_codes(args[1:])
        assert context.user is not None
        invite = await service.create_invite(
            context.user, "liaison", org_code=org, course_codes=courses
        )
        link = f"https://t.me/{context.bot.username}?start=invite-{invite.token}"
        return render.invite_text(link, invite, context.settings.timezone)

    await _run(update, context, "invite", action)


@staff_only
async def roles_command(update: Update, context: BotContext) -> None:
    """/roles: everyone with a role and its scope."""

    async def action(args: list[str]) -> str:
        assert context.user is not None
        views = await service.list_roles(context.user, admin_ids=context.settings.admin_ids)
        return render.roles_text(views)

    await _run(update, context, "roles", action)


async def open_invite(update: Update, context: BotContext, payload: str) -> None:
    """/start invite-<token>: redeem it and tell the person what they can do now.

    Nobody else is notified: the audit log records who redeemed which invite.
    """
    assert context.user is not None and update.effective_chat is not None
    token = payload.split("-", 1)[1] if "-" in payload else ""
    result = await service.redeem(context.user.person_id, token)
    await update.effective_chat.send_message(render.redeem_text(result))
    await _refresh_menu(context, context.user.telegram_id)


def register(app: Application) -> None:
    """Install the staff role commands and the invite deep link."""
    app.add_handler(CommandHandler("grant", grant_command))
    app.add_handler(CommandHandler("revoke", revoke_command))
    app.add_handler(CommandHandler("invite", invite_command))
    app.add_handler(CommandHandler("roles", roles_command))
    add_start_payload(app, "invite", open_invite)
    for order, name, description in (
        (70, "roles", N_("people with roles")),
        (71, "grant", N_("grant a role")),
        (72, "revoke", N_("revoke a role")),
        (73, "invite", N_("invite link for a liaison officer")),
    ):
        add_command(app, CommandInfo(name, description, staff_only=True, order=order))
