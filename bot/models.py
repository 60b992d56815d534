"""Imports every feature's tables so Alembic and create_all see the whole schema."""

from bot.core.models import AuditEntry, City, Organisation, Person, PersonRole
from bot.db import Base
from bot.features.applications.models import Application
from bot.features.schedule.models import Course, CourseCity, CourseResult, ResultPlace

__all__ = [
    "Application",
    "AuditEntry",
    "Base",
    "City",
    "Course",
    "CourseCity",
    "CourseResult",
    "Organisation",
    "Person",
    "PersonRole",
    "ResultPlace",
]
