"""Welcome, language choice, help, main menu, and the fallbacks for anything unrecognised."""

from bot.features.start.handlers import register, register_fallbacks

__all__ = ["register", "register_fallbacks"]
