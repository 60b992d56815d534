"""Audience resolution: cohorts, applicants, alumni, countries, cities, languages, scope."""

from __future__ import annotations

import pytest

from bot.core.audit import PermissionDenied
from bot.core.people import touch_person
from bot.features.broadcasts import service
from bot.features.broadcasts.audience import Audience, count, resolve
from bot.features.broadcasts.render import render_text
from tests.features.broadcasts.broadcast_fixtures import (
    CITYNET_COURSE,
    OTHER_COURSE,
    apply,
    make_liaison,
    person,
    set_group,
)


async def _people():
    """A small programme: two cohorts, applicants, 2017 alumni, one blocked trainee."""
    ids = {}
    ids["en"] = await person(101, "en", country="LK", city_key="colombo")
    ids["zh"] = await person(102, "zh", country="CN")
    ids["ru"] = await person(103, "ru", country="UZ", city_key="tashkent")
    ids["wait"] = await person(104, "es", country="MX")
    ids["blocked"] = await person(105, "en", country="LK", blocked=True)
    ids["old"] = await person(106, "en", country="LK", city_key="colombo")
    for key in ("en", "zh", "blocked"):
        await apply(ids[key], CITYNET_COURSE)
    await apply(ids["wait"], CITYNET_COURSE, "waitlisted")
    await apply(ids["ru"], OTHER_COURSE)
    await apply(ids["en"], "2017-09")  # the same person, also a 2017 alumnus: one message
    await apply(ids["old"], "2017-09")
    await apply(ids["ru"], "2017-01", "declined")  # declined is not an alumnus
    return ids


def _chats(recipients):
    return sorted(r.chat_id for r in recipients)


async def test_cohort_applicants_alumni_country_language(sample):
    """Each kind alone; blocked people are skipped; statuses select applicants."""
    await _people()
    assert _chats(await resolve(Audience(courses=(CITYNET_COURSE,)))) == [101, 102]
    waiting = Audience(courses=(CITYNET_COURSE,), statuses=("waitlisted",))
    assert _chats(await resolve(waiting)) == [104]
    both = Audience(courses=(CITYNET_COURSE, OTHER_COURSE))
    assert _chats(await resolve(both)) == [101, 102, 103]  # OR within a kind
    assert _chats(await resolve(Audience(years=(2017,)))) == [101, 106]
    assert _chats(await resolve(Audience(countries=("LK",)))) == [101, 106]
    assert _chats(await resolve(Audience(cities=("tashkent",)))) == [103]
    assert _chats(await resolve(Audience(languages=("zh", "ru")))) == [102, 103]
    assert await count(Audience()) == 0  # no filter reaches nobody, never everyone
    locales = {r.chat_id: r.locale for r in await resolve(Audience(courses=(CITYNET_COURSE,)))}
    assert locales == {101: "en", 102: "zh"}


async def test_combination_is_and_across_kinds_and_dedup(sample):
    """Cohort AND country; alumni of 2017 AND 2018 cohort: one recipient each, no duplicates."""
    await _people()
    combo = Audience(courses=(CITYNET_COURSE,), countries=("LK", "CN"), languages=("en",))
    assert _chats(await resolve(combo)) == [101]
    assert _chats(await resolve(Audience(courses=(CITYNET_COURSE,), years=(2017,)))) == [101]
    everyone = await resolve(Audience(courses=(CITYNET_COURSE, "2017-09"), statuses=("accepted",)))
    assert _chats(everyone) == [101, 102, 106]  # 101 is in both courses: once


async def test_group_chats_included_once(sample):
    """include_groups adds the course group (person_id None, the course's language)."""
    await _people()
    await set_group(CITYNET_COURSE, -1001)
    recipients = await resolve(Audience(courses=(CITYNET_COURSE,), include_groups=True))
    assert _chats(recipients) == [-1001, 101, 102]
    [group] = [r for r in recipients if r.chat_id == -1001]
    assert group.person_id is None and group.locale == "en"
    assert await count(Audience(countries=("LK",), include_groups=True)) == 2  # no course: none


async def test_liaison_scope_in_the_service(sample):
    """CITYNET liaison: 2018-04 allowed, 2018-01 refused; country audiences cut to alumni."""
    await _people()
    liaison = await make_liaison(500)
    await service.start(liaison)
    draft = await service.set_audience(liaison, Audience(courses=(CITYNET_COURSE,)))
    assert draft.reach == 2
    with pytest.raises(service.OutOfScope) as refused:
        await service.set_audience(liaison, Audience(courses=(OTHER_COURSE,)))
    assert refused.value.code == OTHER_COURSE
    # Country LK: 101 (CITYNET 2018-04 and 2017-09) and 106 (CITYNET 2017-09) are alumni.
    draft = await service.set_audience(liaison, Audience(countries=("LK",)))
    assert draft.reach == 2
    # Uzbekistan: 103 only took the UoS course, outside the scope.
    draft = await service.set_audience(liaison, Audience(countries=("UZ",)))
    assert draft.reach == 0
    trainee = await touch_person(101, first_name="T")
    with pytest.raises(PermissionDenied):
        await service.start(trainee)


def test_render_text_falls_back_to_the_sender():
    """The recipient's version, else the sender's; never a third language."""
    texts = {"en": "Hello", "zh": "你好"}
    assert render_text(texts, "en", "zh") == "你好"
    assert render_text(texts, "en", "ru") == "Hello"
    assert render_text({"ko": "안녕", "en": "Hi"}, "ko", "es") == "안녕"


async def test_traditional_chinese_readers_are_chinese_readers(sample):
    """A Chinese audience includes readers of Traditional characters, who read the Chinese
    version in them; a Korean original still reaches them as it is."""
    await person(107, "zh_Hant", country="TW")
    await person(108, "zh", country="CN")
    assert _chats(await resolve(Audience(languages=("zh",)))) == [107, 108]
    texts = {"ko": "안내", "zh": "课程信息已更新，请查看视频。"}
    assert render_text(texts, "ko", "zh_Hant") == "課程資訊已更新，請檢視影片。"
    assert render_text(texts, "ko", "zh") == "课程信息已更新，请查看视频。"
    assert render_text({"ko": "안내"}, "ko", "zh_Hant") == "안내"
