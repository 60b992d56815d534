"""The waiting list: a freed seat is offered, taken, declined or lapses to the next in line."""

from __future__ import annotations

from datetime import timedelta

from bot import clock, db
from bot.core.audit import PermissionDenied
from bot.core.people import UserCtx
from bot.features.applications import review
from bot.features.applications.models import Application
from bot.features.exports.service import course_applications
from tests.features.applications.review_fixtures import (
    T0,
    WATER,
    add_application,
    app_row,
    set_seats,
    staff_actor,
)


async def _full_course_with_waitlist():
    """One seat, taken; two waitlisted (the senior one first in priority)."""
    await set_seats(WATER, 1)
    staff = await staff_actor()
    seated = await add_application(7040, "Seated")
    later = await add_application(7041, "Working Waiter", minutes=1)
    first = await add_application(7042, "Senior Waiter", minutes=2, seniority="senior",
                                  locale="ru")  # fmt: skip
    assert (await review.decide(staff, seated, "accepted", None, 1)).ok
    for app_id in (later, first):
        assert (await review.decide(staff, app_id, "waitlisted", None, 1)).ok
    async with db.session_scope() as s:
        (await s.get(Application, seated)).status = "withdrawn"
    return seated, first, later


async def test_withdrawal_offers_seat_to_first_waitlisted_who_takes_it(conv, sample):
    """promote_waitlist offers the senior applicant; their 'Take the seat' accepts them."""
    clock.freeze(T0)
    _seated, first, later = await _full_course_with_waitlist()
    conv.user(7042, "Senior", lang="ru")
    assert await review.promote_waitlist((await app_row(first)).course_id, now=T0) == first
    offered = await app_row(first)
    assert (offered.offer_state, offered.offer_expires_at) == ("offered", T0 + timedelta(hours=72))
    # A second call while the offer is open offers nothing more (the seat is held).
    assert await review.promote_waitlist(offered.course_id, now=T0) is None

    from bot.core.outbox_job import dispatch_now

    # The withdrawn trainee's queued acceptance is no longer true: it is cancelled, not sent.
    results = await dispatch_now(conv.app)
    assert [r.state for r in results].count("cancelled") == 1
    offer = conv.double.last_message(7042, from_bot=True)
    assert "освободилось место" in offer["text"]
    buttons = offer["reply_markup"]["inline_keyboard"][0]
    assert [b["callback_data"] for b in buttons] == [
        f"rv:offer:take:{first}",
        f"rv:offer:no:{first}",
    ]

    # Another person forging the button is refused; the offer is untouched.
    await conv.send(7041, "/start", lang="en")
    own = conv.double.last_message(7041, from_bot=True)["message_id"]
    await conv.press_data(7041, own, f"rv:offer:take:{first}")
    assert conv.double.callback_answers[-1]["text"] == "This button is no longer valid."
    assert (await app_row(first)).status == "waitlisted"

    events = await conv.press(7042, "Занять место")
    row = await app_row(first)
    assert (row.status, row.offer_state) == ("accepted", "taken")
    assert any(e.chat_id == 7042 and e.text.startswith("Поздравляем!") for e in events)
    assert (await app_row(later)).offer_state is None


async def test_unanswered_offer_lapses_and_next_is_offered(sample):
    """expire_offers: the first offer lapses after 72 h, the next applicant gets the seat offer."""
    _seated, first, later = await _full_course_with_waitlist()
    course_id = (await app_row(first)).course_id
    assert await review.promote_waitlist(course_id, now=T0) == first
    assert await review.expire_offers(T0 + timedelta(hours=71)) == 0
    assert await review.expire_offers(T0 + timedelta(hours=73)) == 1
    lapsed, nxt = await app_row(first), await app_row(later)
    assert (lapsed.status, lapsed.offer_state) == ("waitlisted", "lapsed")
    assert nxt.offer_state == "offered"
    # Taking a lapsed offer is refused; the owner's late press changes nothing.
    lapsed_person = lapsed.person_id
    assert (await review.take_offer(lapsed_person, first)).reason == "invalid"
    assert (await review.take_offer(nxt.person_id, later, now=T0 + timedelta(days=9))).reason == (
        "expired"
    )


async def test_declined_offer_goes_to_next(sample):
    """decline_offer marks it declined and offers the seat to the next in line."""
    _seated, first, later = await _full_course_with_waitlist()
    course_id = (await app_row(first)).course_id
    await review.promote_waitlist(course_id, now=T0)
    owner = (await app_row(first)).person_id
    assert (await review.decline_offer(owner + 999, first)).ok is False
    assert (await review.decline_offer(owner, first, now=T0)).ok
    assert (await app_row(first)).offer_state == "declined"
    assert (await app_row(later)).offer_state == "offered"


NON_STAFF = UserCtx(1, 7099, "Eve", "en", True, None, frozenset())


async def test_services_refuse_non_staff(sample):
    """Every staff service raises PermissionDenied for a non-staff actor."""
    app_id = await add_application(7050, "Target")
    calls = [
        review.list_courses_with_applications(NON_STAFF),
        review.list_applications(NON_STAFF, WATER),
        review.get_application(NON_STAFF, app_id),
        review.decide(NON_STAFF, app_id, "accepted", None, 1),
        course_applications(NON_STAFF, WATER, "csv"),
    ]
    for call in calls:
        try:
            await call
        except PermissionDenied:
            continue
        raise AssertionError("a staff service accepted a non-staff actor")
    assert (await app_row(app_id)).status == "submitted"


async def test_non_staff_refused_in_bot(conv, sample):
    """/review, /export and forged rv: buttons from a trainee get the refusal."""
    app_id = await add_application(7051, "Target")
    refusal = "This is only for programme staff."
    for command in ("/review", "/export"):
        events = await conv.send(7060, command, lang="en")
        assert [e.text for e in events] == [refusal]
    message_id = conv.double.last_message(7060, from_bot=True)["message_id"]
    for data in (f"rv:d:{app_id}:1:a", f"rv:n:{app_id}:1:a", f"rv:a:{app_id}", "rv:e:2018-08:csv",
                 "menu:applications"):  # fmt: skip
        events = await conv.press_data(7060, message_id, data)
        assert conv.double.callback_answers[-1]["text"] == refusal
        assert not events or all(e.chat_id == 7060 for e in events)
    assert (await app_row(app_id)).status == "submitted"
    # Staff commands are absent from the trainee's /help.
    [help_msg] = await conv.send(7060, "/help")
    assert "/review" not in help_msg.text and "/export" not in help_msg.text
