"""Telegram handlers of the handoff feature."""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:
    """Install this feature's handlers."""
