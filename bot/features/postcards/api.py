"""What other features use of the postcards: a person's card and its picture."""

from bot.features.postcards.render import render_postcard
from bot.features.postcards.service import card_for

__all__ = ["card_for", "render_postcard"]
