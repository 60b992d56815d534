"""What other features use of the follow-ups: the outbox kinds they schedule, the survey items."""

from bot.features.followups.schedule import FOLLOWUP_KINDS, POSTCARD_RETURN
from bot.features.followups.survey import ITEMS

__all__ = ["FOLLOWUP_KINDS", "ITEMS", "POSTCARD_RETURN"]
