"""The words of applications that other screens show too: statuses and seniority."""

from __future__ import annotations

from bot.i18n import N_, _

# As staff read them: review screens, the export, the audit log.
STATUS_LABELS = {
    "submitted": N_("Submitted"),
    "under_review": N_("Under review"),
    "accepted": N_("Accepted"),
    "waitlisted": N_("Waitlisted"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
}
SENIORITY_LABELS = {"senior": N_("Senior / managerial"), "working": N_("Working level")}
# As the applicant reads them: /status, the form, /mydata.
APPLICANT_STATUS_LABELS = {
    "draft": N_("draft (not submitted)"),
    "submitted": N_("submitted"),
    "under_review": N_("under review"),
    "accepted": N_("accepted"),
    "waitlisted": N_("on the waitlist"),
    "declined": N_("declined"),
    "withdrawn": N_("withdrawn"),
}


def status_label(status: str) -> str:
    """A status as the applicant reads it, in the current language."""
    return _(APPLICANT_STATUS_LABELS.get(status, status))


def staff_status_label(status: str) -> str:
    """A status as staff read it, in the reader's language."""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status
