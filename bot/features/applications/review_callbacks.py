"""The buttons of the staff review and of the trainee's seat offer (prefix rv), declared once.

rv:c                          courses with applications
rv:c:<course id>:<page>       a course's applications, a page of them
rv:a:<application id>         one application with the decision buttons
rv:d:<id>:<version>:<code>    a decision (a accept, w waitlist, x decline, r under review)
rv:n:<id>:<version>:<code>    the same decision without a note (Skip)
rv:offer:<take|no>:<id>       the trainee's answer to a seat offer
"""

from __future__ import annotations

from bot.core.callbacks import ID, NUMBER, Codec

DECISION_CODES = {"a": "accepted", "w": "waitlisted", "x": "declined", "r": "under_review"}
_DECISION = (r"[awxr]", str)

CB = Codec("rv")
COURSES = CB.action("c")
COURSE = CB.action("c", course=ID, page=NUMBER)
APPLICATION = CB.action("a", app=ID)
DECIDE = CB.action("d", app=ID, version=ID, decision=_DECISION)
SKIP_NOTE = CB.action("n", app=ID, version=ID, decision=_DECISION)
OFFER = CB.action("offer", choice=(r"take|no", str), app=ID)
