"""Process metrics for /metrics (Prometheus)."""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:
    """Count updates and errors of the Application."""
