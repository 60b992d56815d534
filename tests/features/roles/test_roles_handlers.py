"""Roles in the chat: /grant by id or by reply to a forward, /revoke, /invite, /roles."""

from __future__ import annotations

import re

import pytest

from bot.features.broadcasts import scope as br_scope
from bot.features.roles import service
from tests.conftest import ADMIN_ID
from tests.features.roles.roles_fixtures import (
    LIAISON_ID,
    OTHER_ID,
    audit_actions,
    audit_count,
    role_rows,
)


async def hello(conv, telegram_id: int, name: str, lang: str) -> None:
    """The person talks to the bot once (so a grant can find them) and picks a language."""
    await conv.send(telegram_id, "/start", name=name, lang=lang)
    await conv.press(telegram_id, {"ru": "Русский", "es": "Español", "en": "English"}[lang])


def forwarded_reply(conv, text: str, origin: dict) -> dict:
    """Staff's `text` as a reply to a message they forwarded to the bot with `origin`."""
    raw = conv.double.make_message_update(ADMIN_ID, text)
    message = raw["message"]
    message["reply_to_message"] = {
        "message_id": message["message_id"] - 1,
        "date": message["date"],
        "chat": message["chat"],
        "from": message["from"],
        "text": "Hello, I am the CITYNET officer.",
        "forward_origin": origin,
        "forward_date": 0,
    }
    return raw


async def test_grant_by_id_in_korean(conv, sample):
    """/grant <id> liaison CITYNET: a Korean confirmation; the officer's roles change."""
    await hello(conv, LIAISON_ID, "Aigerim", "ru")
    [reply] = await conv.send(ADMIN_ID, f"/grant {LIAISON_ID} liaison CITYNET")
    assert (
        reply.text == f"완료: Aigerim ({LIAISON_ID}) 님이 이제 CITYNET(전체 과정)의 연락관입니다."
    )
    [again] = await conv.send(ADMIN_ID, f"/grant {LIAISON_ID} liaison citynet")
    assert "이미" in again.text
    assert len(await role_rows(LIAISON_ID)) == 1


async def test_grant_by_reply_to_forward(conv, sample):
    """The id comes from the forwarded message's origin; course codes may follow the org."""
    await hello(conv, LIAISON_ID, "Aigerim", "ru")
    conv.user(ADMIN_ID)
    origin = {
        "type": "user",
        "date": 0,
        "sender_user": {"id": LIAISON_ID, "is_bot": False, "first_name": "Aigerim"},
    }
    events = await conv.feed(forwarded_reply(conv, "/grant liaison CITYNET 2018-08", origin))
    assert events[-1].text.startswith(f"완료: Aigerim ({LIAISON_ID})")
    assert "2018-08" in events[-1].text
    assert len(await role_rows(LIAISON_ID)) == 2


async def test_hidden_forward_suggests_invite(conv, sample):
    """A person who hides forwards cannot be identified: say so and suggest /invite."""
    conv.user(ADMIN_ID)
    origin = {"type": "hidden_user", "date": 0, "sender_user_name": "Aigerim"}
    before = await audit_count()
    events = await conv.feed(forwarded_reply(conv, "/grant liaison CITYNET", origin))
    assert "숨기" in events[-1].text and "/invite" in events[-1].text
    assert await audit_count() == before


async def test_usage_and_unknown_person_in_korean(conv, sample):
    """Syntax errors explain the syntax; an unknown person and an unknown code are named."""
    [usage] = await conv.send(ADMIN_ID, "/grant")
    assert usage.text.startswith("역할 부여 방법:")
    [unknown] = await conv.send(ADMIN_ID, "/grant 555 staff")
    assert "555" in unknown.text and "/start" in unknown.text
    await hello(conv, LIAISON_ID, "Aigerim", "ru")
    [code] = await conv.send(ADMIN_ID, f"/grant {LIAISON_ID} liaison CITYNOT")
    assert "CITYNOT" in code.text
    [invite_usage] = await conv.send(ADMIN_ID, "/invite")
    assert invite_usage.text.startswith("연락관 초대 링크 만들기")


async def test_revoke_and_config_staff(conv, sample):
    """/revoke removes a granted role; ADMIN_IDS staff are refused with the reason."""
    await hello(conv, LIAISON_ID, "Aigerim", "ru")
    await conv.send(ADMIN_ID, f"/grant {LIAISON_ID} staff")
    [done] = await conv.send(ADMIN_ID, f"/revoke {LIAISON_ID} staff")
    assert (
        done.text == f"회수 완료: Aigerim ({LIAISON_ID}) 님의 프로그램 담당자 역할을 회수했습니다."
    )
    assert await role_rows(LIAISON_ID) == []
    [config] = await conv.send(ADMIN_ID, f"/revoke {ADMIN_ID} staff")
    assert "ADMIN_IDS" in config.text
    assert await audit_actions() == ["role.grant", "role.revoke"]


async def test_granted_staff_can_grant(conv, sample):
    """A person granted staff uses the staff commands from their next message on."""
    await hello(conv, LIAISON_ID, "Aigerim", "ru")
    await hello(conv, OTHER_ID, "Pablo", "es")
    [refused] = await conv.send(LIAISON_ID, f"/grant {OTHER_ID} staff")
    assert refused.text == "Это доступно только сотрудникам программы."
    await conv.send(ADMIN_ID, f"/grant {LIAISON_ID} staff")
    [ok] = await conv.send(LIAISON_ID, f"/grant {OTHER_ID} liaison ICLEI")
    assert "ICLEI" in ok.text and "Pablo" in ok.text


async def test_invite_link_redeemed_once(conv, sample):
    """/invite → a t.me link; a new officer opens it, chooses Spanish, and is welcomed in
    Spanish; nobody else hears of it; a second person gets a refusal."""
    [reply] = await conv.send(ADMIN_ID, "/invite liaison CITYNET")
    link = re.search(r"https://t\.me/(\w+)\?start=(invite-[\w-]+)", reply.text)
    assert link and link.group(1) == conv.app.bot.username
    assert "CITYNET(전체 과정) 연락관 초대 링크" in reply.text and "2018" not in link.group(2)
    payload = link.group(2)
    assert len(payload) <= 64
    [greeting] = await conv.send(LIAISON_ID, f"/start {payload}", name="Lucía", lang="es")
    assert all(b["data"].endswith(payload) for row in greeting.buttons for b in row)
    events = await conv.press(LIAISON_ID, "Español")
    assert {e.chat_id for e in events} == {LIAISON_ID}
    assert events[-1].text.startswith("¡Bienvenido/a! Ahora es oficial de enlace de CITYNET")
    assert "/broadcast" in events[-1].text
    assert len(await role_rows(LIAISON_ID)) == 1
    await hello(conv, OTHER_ID, "Ivan", "ru")
    [second] = await conv.send(OTHER_ID, f"/start {payload}")
    assert "уже использована" in second.text
    assert await role_rows(OTHER_ID) == []
    assert await audit_actions() == ["role.invite", "role.redeem"]


async def test_roles_listing(conv, sample):
    """/roles lists configured staff and granted liaison officers with their scopes."""
    await hello(conv, LIAISON_ID, "Aigerim", "ru")
    await conv.send(ADMIN_ID, f"/grant {LIAISON_ID} liaison CITYNET 2018-08")
    [listing] = await conv.send(ADMIN_ID, "/roles")
    lines = listing.text.splitlines()
    assert lines[0] == "역할이 있는 사람:"
    assert "(ADMIN_IDS 설정)" in lines[1]
    assert lines[2] == f"• Aigerim ({LIAISON_ID}) — 연락관: CITYNET(전체 과정), 2018-08"


async def test_liaison_scope_after_redeem(conv, sample):
    """The redeemed scope is what allowed_course_ids sees."""
    [reply] = await conv.send(ADMIN_ID, "/invite liaison 2018-04")
    payload = re.search(r"start=(invite-[\w-]+)", reply.text).group(1)
    await conv.send(LIAISON_ID, "/start", lang="en")
    await conv.press(LIAISON_ID, "English")
    await conv.send(LIAISON_ID, f"/start {payload}")
    from tests.features.roles.roles_fixtures import person

    officer = await person(LIAISON_ID)
    allowed = await service.allowed_course_ids(officer)
    assert allowed is not None and len(allowed) == 1


async def test_citynet_liaison_broadcasts_only_to_citynet_courses(conv, sample):
    """A CITYNET officer may open /broadcast, and address CITYNET's course but no other."""
    await hello(conv, LIAISON_ID, "Aigerim", "ru")
    await conv.send(ADMIN_ID, f"/grant {LIAISON_ID} liaison CITYNET")
    events = await conv.send(LIAISON_ID, "/broadcast")
    assert events and all("только" not in (e.text or "") for e in events)
    from tests.features.roles.roles_fixtures import person

    officer = await person(LIAISON_ID, "Aigerim", lang="ru")
    within = await br_scope.scope(officer)
    await br_scope.check_courses(("2018-04",), within)
    with pytest.raises(br_scope.OutOfScope):
        await br_scope.check_courses(("2018-08",), within)


async def test_menus_follow_role_changes(conv, sample):
    """A granted liaison officer gets /broadcast in their menu and /help at once; revoking
    restores the default menu; a granted staff member gets the Korean staff menu."""
    await hello(conv, LIAISON_ID, "Aigerim", "ru")
    scope = {"type": "chat", "chat_id": LIAISON_ID}
    assert conv.double.commands(scope) == []
    [help_before] = await conv.send(LIAISON_ID, "/help")
    assert "/broadcast" not in help_before.text

    await conv.send(ADMIN_ID, f"/grant {LIAISON_ID} liaison CITYNET")
    names = [c["command"] for c in conv.double.commands(scope)]
    assert "broadcast" in names and "courses" in names and "review" not in names
    assert {"command": "courses", "description": "посмотреть курсы"} in conv.double.commands(scope)
    [help_after] = await conv.send(LIAISON_ID, "/help")
    assert "/broadcast" in help_after.text and "/review" not in help_after.text

    await conv.send(ADMIN_ID, f"/revoke {LIAISON_ID} liaison")
    assert conv.double.commands(scope) == []

    await hello(conv, OTHER_ID, "Mina", "en")
    await conv.send(ADMIN_ID, f"/grant {OTHER_ID} staff")
    staff_menu = conv.double.commands({"type": "chat", "chat_id": OTHER_ID})
    assert staff_menu == conv.double.commands({"type": "chat", "chat_id": ADMIN_ID})
    assert any(c["command"] == "review" for c in staff_menu)
