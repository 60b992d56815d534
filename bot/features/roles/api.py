"""What other features use of the roles: the courses a liaison officer may address."""

from bot.features.roles.service import allowed_course_ids

__all__ = ["allowed_course_ids"]
