"""Who may do what: one rule for services, one decorator for handlers, one refusal.

Roles come from UserCtx.roles (granted rows, plus "staff" for ADMIN_IDS). Services call
`require_staff` / `require_role` (PermissionDenied otherwise) so the rule holds whatever the
caller; handlers are wrapped in `@staff_only` / `@role(...)`, which refuse before the handler
runs and answer any PermissionDenied the services raise, in the person's language.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from bot.core.audit import PermissionDenied
from bot.core.people import UserCtx
from bot.i18n import N_, _

STAFF = "staff"
LIAISON = "liaison"
STAFF_REFUSAL = N_("This is only for programme staff.")

Handler = Callable[..., Awaitable[Any]]


def has_role(actor: UserCtx | None, *roles: str) -> bool:
    """True when the actor holds at least one of `roles`."""
    return actor is not None and not actor.roles.isdisjoint(roles)


def is_staff(actor: UserCtx | None) -> bool:
    """True for programme staff (ADMIN_IDS or a granted staff role)."""
    return has_role(actor, STAFF)


def require_role(actor: UserCtx | None, *roles: str) -> UserCtx:
    """The actor when they hold one of `roles`; PermissionDenied otherwise."""
    if actor is None or not has_role(actor, *roles):
        raise PermissionDenied(f"only for: {', '.join(roles)}")
    return actor


def require_staff(actor: UserCtx | None) -> UserCtx:
    """The actor when they are programme staff; PermissionDenied otherwise."""
    return require_role(actor, STAFF)


async def refuse(update: Update, text: str = STAFF_REFUSAL) -> None:
    """Tell the sender they may not use this: an alert for a pressed button, else a reply."""
    said = _(text)
    if update.callback_query:
        await update.callback_query.answer(said, show_alert=True)
    elif update.effective_message:
        await update.effective_message.reply_text(said)


def role(*roles: str, refusal: str = STAFF_REFUSAL) -> Callable[[Handler], Handler]:
    """Run the handler only for people holding one of `roles`; refuse everyone else.

    `refusal` is an N_()-marked message id. A PermissionDenied the handler lets through (a
    service's own check) gets the same refusal, so a handler never writes its own.
    """

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def run(update: Update, context: Any, *args: Any) -> Any:
            if not has_role(context.user, *roles):
                await refuse(update, refusal)
                return None
            try:
                return await handler(update, context, *args)
            except PermissionDenied:
                await refuse(update, refusal)
                return None

        return run

    return wrap


staff_only = role(STAFF)
