"""Telegram handlers of this feature."""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:
    """Install this feature's handlers."""
