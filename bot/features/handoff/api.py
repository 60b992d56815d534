"""What other features use of the handoff: ask for a person, or offer one after an answer."""

from bot.features.handoff.handlers import contact, offer_handoff

__all__ = ["contact", "offer_handoff"]
