"""Imports every feature's tables so Alembic and create_all see the whole schema."""

from bot.core.models import AuditEntry, City, Organisation, Person, PersonRole
from bot.core.outbox import OutboxMessage
from bot.core.refdata import RefVersion
from bot.core.sendbudget import SendBudget
from bot.db import Base
from bot.features.applications.models import Application
from bot.features.broadcasts.models import Broadcast, BroadcastDelivery
from bot.features.followups.models import Evaluation, SurveyResponse
from bot.features.handoff.models import HandoffQuestion
from bot.features.postcards.models import Postcard
from bot.features.qa.models import FaqAnswer, LexiconEntry
from bot.features.roles.models import RoleInvite
from bot.features.schedule.models import (
    Course,
    CourseCity,
    CourseResult,
    CourseSession,
    ResultPlace,
)

__all__ = [
    "Application",
    "AuditEntry",
    "Base",
    "Broadcast",
    "BroadcastDelivery",
    "City",
    "Course",
    "CourseCity",
    "CourseResult",
    "CourseSession",
    "Evaluation",
    "FaqAnswer",
    "HandoffQuestion",
    "LexiconEntry",
    "Organisation",
    "OutboxMessage",
    "Person",
    "PersonRole",
    "Postcard",
    "RefVersion",
    "ResultPlace",
    "RoleInvite",
    "SendBudget",
    "SurveyResponse",
]
