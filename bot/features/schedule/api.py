"""What other features use of the catalogue: course views, audiences and the course week."""

from bot.features.schedule.audience import MEMBERS, OPEN, OTHERS, audience_fit, open_to_all
from bot.features.schedule.service import Catalogue, CourseView, load_catalogue
from bot.features.schedule.week import SESSION_KINDS, SessionView, sessions_on

__all__ = [
    "MEMBERS",
    "OPEN",
    "OTHERS",
    "SESSION_KINDS",
    "Catalogue",
    "CourseView",
    "SessionView",
    "audience_fit",
    "load_catalogue",
    "open_to_all",
    "sessions_on",
]
