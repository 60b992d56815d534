"""Follow-up words other screens show too: kinds, states, action statuses, survey items."""

from __future__ import annotations

from bot.i18n import N_

KIND_LABELS = {
    "survey": N_("survey"),
    "postcard_return": N_("postcard return"),
    "evaluation": N_("evaluation"),
    "evaluation_nudge_1": N_("reminder 1"),
    "evaluation_nudge_2": N_("reminder 2"),
}
STATE_LABELS = {
    "pending": N_("pending"),
    "sending": N_("sending"),
    "sent": N_("sent"),
    "failed": N_("failed"),
    "blocked": N_("blocked"),
    "cancelled": N_("cancelled"),
}
# The one place the action statuses are named; stored values are the keys.
STATUS_LABELS = {
    "done": N_("✅ Done"),
    "in_progress": N_("🔄 In progress"),
    "not_started": N_("⏸ Not started"),
    "dropped": N_("✖️ Dropped"),
}
ITEM_LABELS = {
    "overall": N_("Overall satisfaction with the course"),
    "lectures": N_("Lectures"),
    "site_visits": N_("Site visits"),
    "organisation": N_("Organisation and logistics"),
    "usefulness": N_("Usefulness for my work"),
}
