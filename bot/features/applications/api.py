"""What other features use of applications: a person's course, the sheet, course labels."""

from bot.features.applications.attendance import course_for_day
from bot.features.applications.export import COLUMNS, application_row, applications_sheet
from bot.features.applications.notify import course_label
from bot.features.applications.review import list_courses_with_applications
from bot.features.applications.review_common import ranked

__all__ = [
    "COLUMNS",
    "application_row",
    "applications_sheet",
    "course_for_day",
    "course_label",
    "list_courses_with_applications",
    "ranked",
]
