"""One authorisation rule: the service check, and the handler decorators over the real bot.

The permission matrix (test_permission_matrix.py) covers who may use each entry point; these
cover what the rule itself promises: the refusal in the person's own language, a service's
refusal answered by the decorator, and the refusal standing before or after decoding a
button as it did before the rule was shared.
"""

from __future__ import annotations

import pytest

from bot.core import authz
from bot.core.audit import PermissionDenied
from bot.core.people import UserCtx
from bot.features.audit import service as audit_service
from bot.i18n import translator
from tests.conftest import ADMIN_ID

STAFF_ONLY = "This is only for programme staff."
BROADCASTERS_ONLY = "Broadcasts are only for liaison officers and programme staff."
STALE = "This button is no longer valid."


def _actor(*roles: str) -> UserCtx:
    return UserCtx(1, 1001, "A", "en", True, None, frozenset(roles))


def test_service_check_names_one_rule():
    staff, liaison, trainee = _actor("staff"), _actor("liaison"), _actor()
    assert authz.require_staff(staff) is staff
    for actor in (liaison, trainee, None):
        with pytest.raises(PermissionDenied):
            authz.require_staff(actor)
    assert authz.require_role(liaison, "staff", "liaison") is liaison
    with pytest.raises(PermissionDenied):
        authz.require_role(trainee, "staff", "liaison")
    assert authz.is_staff(staff) and not authz.is_staff(None) and not authz.is_staff(liaison)
    assert authz.has_role(liaison, "liaison") and not authz.has_role(None, "liaison")


def _said(conv, user_id: int, events, answers_before: int) -> list[str]:
    texts = [e.text for e in events if e.chat_id == user_id and e.text]
    answers = conv.double.callback_answers[answers_before:]
    return texts + [a["text"] for a in answers if a.get("text")]


async def _bot_message(conv, user_id: int) -> int:
    await conv.send(user_id, "/help")
    return conv.double.last_message(user_id, from_bot=True)["message_id"]


@pytest.mark.parametrize(
    ("lang", "text", "refusal"),
    [
        ("es", "/export", STAFF_ONLY),
        ("ru", "/roles", STAFF_ONLY),
        ("zh", "/broadcast", BROADCASTERS_ONLY),
    ],
)
async def test_a_command_is_refused_in_the_persons_language(conv, lang, text, refusal):
    conv.user(7601, "Trainee", lang=lang)
    events = await conv.send(7601, text)
    expected = translator(lang).gettext(refusal)
    assert expected != refusal  # the catalogue has it: the test would not notice English
    assert [e.text for e in events if e.chat_id == 7601] == [expected]


async def test_a_button_is_refused_with_an_alert_in_the_persons_language(conv):
    conv.user(7602, "Trainee", lang="es")
    message_id = await _bot_message(conv, 7602)
    before = len(conv.double.callback_answers)
    events = await conv.press_data(7602, message_id, "au:p:0")
    assert not [e for e in events if e.chat_id == 7602 and e.text]  # an alert, not a message
    answer = conv.double.callback_answers[before]
    assert answer["text"] == translator("es").gettext(STAFF_ONLY)
    assert answer.get("show_alert") is True


async def test_a_services_refusal_is_answered_by_the_decorator(conv, monkeypatch):
    """Staff pass the handler's check; the service still refuses (say, a role just revoked)."""

    async def refused(actor, page=0, per_page=10):
        raise PermissionDenied("revoked meanwhile")

    monkeypatch.setattr(audit_service, "recent", refused)
    conv.user(ADMIN_ID, "Kim", lang="ko")
    events = await conv.send(ADMIN_ID, "/audit")
    assert [e.text for e in events if e.chat_id == ADMIN_ID] == [
        translator("ko").gettext(STAFF_ONLY)
    ]


@pytest.mark.parametrize(
    ("data", "answer"),
    [
        # Exports, audit and review checked staff before looking at the data, and still do.
        ("ex:nonsense", STAFF_ONLY),
        ("au:p:x", STAFF_ONLY),
        ("rv:zz:1", STAFF_ONLY),
        # Statistics, follow-ups and broadcasts routed only well-formed data to their handler:
        # anything else was (and is) a stale button, whoever presses it.
        ("st:y:abc", STALE),
        ("fu:m:1:3", STALE),
        ("br:v:xx", STALE),
    ],
)
async def test_forged_data_from_a_trainee_gets_the_answer_it_always_got(conv, data, answer):
    conv.user(7603, "Trainee", lang="en")
    message_id = await _bot_message(conv, 7603)
    before = len(conv.double.callback_answers)
    events = await conv.press_data(7603, message_id, data)
    assert _said(conv, 7603, events, before) == [answer]
