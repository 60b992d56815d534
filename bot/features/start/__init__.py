"""Welcome, language choice, help, main menu, and the fallbacks for anything unrecognised."""

from bot.features.start.handlers import other_message, register, register_fallbacks

__all__ = ["other_message", "register", "register_fallbacks"]
