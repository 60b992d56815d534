"""What features contribute to shared screens: commands for /help and menus, main-menu buttons,
deep links `/start <prefix>-…` and buttons under a course card."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton
from telegram.ext import Application

from bot.core.botdata import CardButton, PayloadHandler
from bot.core.callbacks import Action, Codec

# Main-menu buttons carry `menu:<MenuItem.key>`, one action per key.
MENU = Codec("menu")


@dataclass(frozen=True)
class CommandInfo:
    """A command shown in /help and in Telegram's command menu."""

    name: str
    description: str  # an N_()-marked message id, translated when shown
    staff_only: bool = False
    order: int = 100
    liaison: bool = False  # a staff_only command liaison officers may use too


@dataclass(frozen=True)
class MenuItem:
    """A main-menu button; pressing it sends callback data `menu:<key>`."""

    key: str
    label: str  # N_()-marked
    order: int = 100
    staff_only: bool = False


def menu_button(key: str) -> Action:
    """The main-menu button of `key`: its data (`pack()`) and its handler's `pattern`."""
    return MENU.actions.get(key) or MENU.action(key)


def add_command(app: Application, info: CommandInfo) -> None:
    """Announce a command to /help and the command menus."""
    app.bot_data.commands.append(info)


def add_menu_item(app: Application, item: MenuItem) -> None:
    """Add a button to the main menu."""
    app.bot_data.menu.append(item)


def commands(app: Application, *, staff: bool, liaison: bool = False) -> list[CommandInfo]:
    """The registered commands a person sees, in display order."""
    items = app.bot_data.commands
    seen = (c for c in items if staff or not c.staff_only or (liaison and c.liaison))
    return sorted(seen, key=lambda c: c.order)


def menu_items(app: Application, *, staff: bool) -> list[MenuItem]:
    """The registered main-menu buttons a person sees, in display order."""
    items = app.bot_data.menu
    return sorted((m for m in items if staff or not m.staff_only), key=lambda m: m.order)


def add_start_payload(app: Application, prefix: str, handler: PayloadHandler) -> None:
    """Let a feature answer deep links `/start <prefix>-…` (e.g. apply-2018-01)."""
    app.bot_data.start_payloads[prefix] = handler


def start_payload(app: Application, payload: str) -> PayloadHandler | None:
    """The handler of a deep link's payload (by its prefix before the first "-"), if any."""
    return app.bot_data.start_payloads.get(payload.split("-", 1)[0])


def add_card_button(app: Application, provider: CardButton) -> None:
    """Let a feature (e.g. applications' “Apply”) add a button under each course card."""
    app.bot_data.card_buttons.append(provider)


def card_buttons(app: Application, course: object) -> list[InlineKeyboardButton]:
    """The buttons features add to this course's card (a catalogue course view), in order."""
    found = (provider(course) for provider in app.bot_data.card_buttons)
    return [button for button in found if button is not None]
