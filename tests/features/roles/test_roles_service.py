"""Roles service: grant, revoke, invites (one-time, expiry, concurrency), liaison scope."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import clock, db
from bot.core.audit import PermissionDenied
from bot.core.models import Organisation
from bot.features.roles import service
from bot.features.roles.models import RoleInvite
from bot.features.roles.service import RoleError
from bot.features.schedule.models import Course
from tests.conftest import ADMIN_ID
from tests.features.roles.roles_fixtures import (
    LIAISON_ID,
    OTHER_ID,
    admin,
    audit_actions,
    person,
    role_rows,
)

T0 = datetime(2018, 4, 2, 1, 0, tzinfo=UTC)


async def ids(model, *codes: str) -> list[int]:
    """Row ids of organisations or courses by code, in the given order."""
    async with db.session_scope() as s:
        found = dict(
            (await s.execute(select(model.code, model.id).where(model.code.in_(codes)))).all()
        )
    return [found[c] for c in codes]


async def test_grant_liaison_scoped_and_idempotent(sample):
    """An organisation row plus one row per course; a second grant adds nothing, audits once."""
    staff = await admin()
    target = await person(LIAISON_ID, "Aigerim")
    result = await service.grant(
        staff, LIAISON_ID, "liaison", org_code="citynet", course_codes=["2018-08"]
    )
    assert (result.changed, result.org_code, result.course_codes) == (2, "CITYNET", ("2018-08",))
    again = await service.grant(
        staff, LIAISON_ID, "liaison", org_code="CITYNET", course_codes=["2018-08"]
    )
    assert again.changed == 0
    [org] = await ids(Organisation, "CITYNET")
    [water] = await ids(Course, "2018-08")
    assert await role_rows(LIAISON_ID) == sorted(
        [("liaison", None, water), ("liaison", org, None)], key=repr
    )
    assert await audit_actions() == ["role.grant"]
    scope = await service.liaison_scope(target.person_id)
    assert scope == service.Scope(frozenset({org}), frozenset({water}))


async def test_grant_needs_staff_known_person_and_scope(sample):
    """Non-staff are refused; unknown people, unknown codes and a scopeless liaison explain."""
    trainee = await person(OTHER_ID)
    await person(LIAISON_ID)
    with pytest.raises(PermissionDenied):
        await service.grant(trainee, LIAISON_ID, "staff")
    staff = await admin()
    for kwargs, code in [
        ({"telegram_id": 123, "role": "staff"}, "unknown_person"),
        ({"telegram_id": LIAISON_ID, "role": "liaison"}, "no_scope"),
        ({"telegram_id": LIAISON_ID, "role": "liaison", "org_code": "NOPE"}, "unknown_code"),
        ({"telegram_id": LIAISON_ID, "role": "boss"}, "bad_role"),
        ({"telegram_id": LIAISON_ID, "role": "staff", "org_code": "CITYNET"}, "staff_scope"),
    ]:
        with pytest.raises(RoleError) as err:
            await service.grant(staff, **kwargs)
        assert err.value.code == code
    assert await role_rows(LIAISON_ID) == [] and await audit_actions() == []


async def test_concurrent_grants_write_one_row(sample):
    """Two staff granting the same role at once: one row (the person row is locked)."""
    staff = await admin()
    await person(LIAISON_ID)
    results = await asyncio.gather(
        service.grant(staff, LIAISON_ID, "staff"), service.grant(staff, LIAISON_ID, "staff")
    )
    assert sorted(r.changed for r in results) == [0, 1]
    assert await role_rows(LIAISON_ID) == [("staff", None, None)]


async def test_revoke_scope_then_all_and_config_staff(sample):
    """Revoke one scope element, then the rest; ADMIN_IDS staff cannot be revoked."""
    staff = await admin()
    await person(LIAISON_ID)
    await service.grant(
        staff, LIAISON_ID, "liaison", org_code="CITYNET", course_codes=["2018-08", "2018-04"]
    )
    one = await service.revoke(staff, LIAISON_ID, "liaison", course_code="2018-08")
    assert one.changed == 1 and len(await role_rows(LIAISON_ID)) == 2
    rest = await service.revoke(staff, LIAISON_ID, "liaison")
    assert rest.changed == 2 and await role_rows(LIAISON_ID) == []
    nothing = await service.revoke(staff, LIAISON_ID, "liaison")
    assert nothing.changed == 0
    with pytest.raises(RoleError) as err:
        await service.revoke(staff, ADMIN_ID, "staff", admin_ids=[ADMIN_ID])
    assert err.value.code == "config_staff"
    assert await audit_actions() == ["role.grant", "role.revoke", "role.revoke"]


async def test_invite_redeemed_once(sample):
    """The first redeemer gets the role; a second use is refused; the token fits a deep link."""
    staff = await admin()
    invite = await service.create_invite(staff, "liaison", org_code="CITYNET")
    assert len(invite.token) <= 48 and len(f"invite-{invite.token}") <= 64
    first = await person(LIAISON_ID, "Aigerim")
    second = await person(OTHER_ID)
    ok = await service.redeem(first.person_id, invite.token)
    assert (ok.ok, ok.role, ok.org_code) == (True, "liaison", "CITYNET")
    assert ok.org_name and "CITYNET" in ok.org_name["en"]
    refused = await service.redeem(second.person_id, invite.token)
    assert (refused.ok, refused.reason) == (False, "used")
    assert (await service.redeem(second.person_id, "nope")).reason == "unknown"
    assert (await service.redeem(second.person_id, "x" * 60)).reason == "unknown"
    assert await role_rows(OTHER_ID) == []
    assert len(await role_rows(LIAISON_ID)) == 1
    assert await audit_actions() == ["role.invite", "role.redeem"]


async def test_expired_invite_refused(sample):
    """After `hours` the link no longer works."""
    clock.freeze(T0)
    staff = await admin()
    invite = await service.create_invite(staff, "liaison", course_codes=["2018-04"], hours=1)
    assert invite.expires_at == T0 + timedelta(hours=1)
    late = await person(LIAISON_ID)
    clock.freeze(T0 + timedelta(hours=1, seconds=1))
    result = await service.redeem(late.person_id, invite.token)
    assert (result.ok, result.reason) == (False, "expired")
    assert await role_rows(LIAISON_ID) == []


async def test_concurrent_redeems_grant_once(sample):
    """Two people opening the same link at once: exactly one gets the role."""
    staff = await admin()
    invite = await service.create_invite(staff, "liaison", org_code="CITYNET")
    a, b = await person(LIAISON_ID), await person(OTHER_ID)
    results = await asyncio.gather(
        service.redeem(a.person_id, invite.token), service.redeem(b.person_id, invite.token)
    )
    assert sorted(r.ok for r in results) == [False, True]
    assert [r.reason for r in results if not r.ok] == ["used"]
    held = [len(await role_rows(t)) for t in (LIAISON_ID, OTHER_ID)]
    assert sorted(held) == [0, 1]
    async with db.session_scope() as s:
        row = await s.scalar(select(RoleInvite))
    winner = a if results[0].ok else b
    assert row.used_by == winner.person_id
    assert (await audit_actions()).count("role.redeem") == 1


async def test_staff_invites_refused(sample):
    """Staff roles travel only by /grant, never by a forwardable link."""
    with pytest.raises(RoleError):
        await service.create_invite(await admin(), "staff")
    with pytest.raises(PermissionDenied):
        await service.create_invite(await person(OTHER_ID), "liaison", org_code="CITYNET")


async def test_allowed_course_ids(sample):
    """Staff: all (None); CITYNET liaison: CITYNET's courses plus listed ones; others: none."""
    staff = await admin()
    trainee = await person(OTHER_ID)
    await person(LIAISON_ID)
    await service.grant(staff, LIAISON_ID, "liaison", org_code="CITYNET", course_codes=["2018-08"])
    liaison = await person(LIAISON_ID)
    assert "liaison" in liaison.roles
    assert await service.allowed_course_ids(staff) is None
    assert await service.allowed_course_ids(trainee) == frozenset()
    expected = set(await ids(Course, "2018-04", "2017-09", "2018-08"))
    assert await service.allowed_course_ids(liaison) == expected


async def test_list_roles_shows_config_staff_first(sample):
    """/roles data: ADMIN_IDS staff marked as configured, then granted roles with scopes."""
    staff = await admin()
    await person(LIAISON_ID, "Aigerim")
    await service.grant(staff, LIAISON_ID, "liaison", org_code="CITYNET")
    views = await service.list_roles(staff, admin_ids=[ADMIN_ID])
    assert [(v.telegram_id, v.role, v.org_code, v.from_config) for v in views] == [
        (ADMIN_ID, "staff", None, True),
        (LIAISON_ID, "liaison", "CITYNET", False),
    ]
    with pytest.raises(PermissionDenied):
        await service.list_roles(await person(OTHER_ID))
