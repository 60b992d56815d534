"""Answer kinds: seats, deadlines, eligibility by audience, small talk, month overlap."""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date
from sqlalchemy import select

from bot import db
from bot.core.models import City, Person
from bot.features.places import default_index
from bot.features.qa.service import answer_question
from tests.conftest import PLACES_INDEX

MARCH = date(2018, 3, 1)


async def test_june_includes_a_course_that_runs_into_june(sample):
    """Kyiv's course (27 May-3 Jun) is a June course as well as a May one."""
    answer = await answer_question("¿cursos en junio?", locale="es", today=MARCH)
    assert answer.intent == "schedule"
    assert {c.code for c in answer.courses} == {"2018-07", "2018-08"}


async def test_seats_name_the_number_with_russian_plural(sample):
    """Seats of the CITYNET transport course: 13, with the 'many' form мест."""
    answer = await answer_question(
        "Сколько мест на курсе по транспорту CITYNET?", locale="ru", today=MARCH
    )
    assert answer.intent == "seats" and [c.code for c in answer.courses] == ["2018-04"]
    assert "13 мест" in answer.text


async def test_deadline_says_when_applications_close(sample):
    """No apply_until: applications close when the course starts, on its Babel-written date."""
    answer = await answer_question(
        "What is the deadline to apply for the climate change course?", locale="en", today=MARCH
    )
    assert answer.intent == "deadline" and [c.code for c in answer.courses] == ["2018-11"]
    assert format_date(date(2018, 9, 9), "long", locale="en") in answer.text
    later = await answer_question(
        "What is the deadline to apply for the climate change course?",
        locale="en",
        today=date(2018, 10, 1),
    )
    assert "applications are closed" in later.text


async def test_bishkek_eligibility_is_honest_and_lists_open_courses(sample):
    """Courses open to Bishkek by audience; Kyiv's and the Chinese cities' ones are reserved;
    never a reflexive 'of course'."""
    answer = await answer_question(
        "Могут ли участвовать сотрудники мэрии Бишкека?", locale="ru", today=MARCH
    )
    assert answer.intent == "eligibility" and not answer.text.startswith("Конечно")
    codes = {c.code for c in answer.courses}
    assert {"2018-05", "2018-06", "2018-08", "2018-12", "2018-13"} <= codes
    assert not codes & {"2018-07", "2018-10", "2018-09"}
    reserved = answer.text.split("\n\n")[2]
    assert "Киев" in reserved and "Китая" in reserved


async def test_which_courses_can_i_apply_to_uses_the_profile_city(sample):
    """With no place named, the asker's own city from their profile decides."""
    async with db.session_scope() as session:
        shanghai = await session.scalar(select(City).where(City.key == "shanghai"))
        person = Person(telegram_id=77001, locale="zh", city_id=shanghai.id, country="CN")
        session.add(person)
        await session.flush()
        pid = person.id
    answer = await answer_question("我可以申请哪些课程？", locale="zh", person_id=pid, today=MARCH)
    assert answer.intent == "eligibility"
    assert "2018-10" in {c.code for c in answer.courses}  # e-government for Chinese cities
    nobody = await answer_question("我可以申请哪些课程？", locale="zh", today=MARCH)
    assert "2018-10" not in {c.code for c in nobody.courses}
    assert "2018-13" in {c.code for c in nobody.courses}


async def test_small_talk_is_short_and_offers_no_person(sample, conv):
    """'спасибо' gets one polite line in Russian, without the handoff offer or courses."""
    events = await conv.send(7101, "спасибо", lang="ru")
    assert len(events) == 1 and events[0].text.startswith("Пожалуйста")
    assert not events[0].buttons


async def test_exchange_rate_is_not_a_course(sample, conv):
    """«курс» as an exchange rate: no course list, a person offered."""
    events = await conv.send(7102, "Какой курс сома к воне?", lang="ru")
    assert not any("Я нашёл" in e.text for e in events)
    assert any(e.buttons for e in events)


async def test_finished_courses_are_marked(sample):
    """A course already over is listed as such."""
    answer = await answer_question("When is the water course?", locale="en", today=MARCH)
    lines = answer.text.splitlines()
    tashkent = next(x for x in lines if "Tashkent" in x)
    june = next(x for x in lines if "Planned Course 3" in x)
    assert "(already over)" in tashkent and "(already over)" not in june
    spanish = await answer_question("¿Cuándo es el curso de agua?", locale="es", today=MARCH)
    assert "(ya terminó)" in spanish.text
    during = await answer_question("When is the water course?", today=date(2018, 6, 20))
    assert "(in progress)" in next(x for x in during.text.splitlines() if "Course 3" in x)


async def test_a_city_the_catalogue_does_not_know_is_placed_by_geonames(sample):
    """Osh and Quezon City are not partner cities: GeoNames gives their country, which
    decides; an inflected Russian name is shown as written in the nominative."""
    places = default_index(PLACES_INDEX)
    osh = await answer_question(
        "Могут ли участвовать сотрудники мэрии Оша?", locale="ru", today=MARCH, places=places
    )
    assert osh.intent == "eligibility" and "(Ош)" in osh.text.splitlines()[0]
    assert "2018-13" in {c.code for c in osh.courses}
    chengdu = await answer_question(
        "Can officials from Foshan join?", locale="en", today=MARCH, places=places
    )
    assert "2018-10" in {c.code for c in chengdu.courses}  # open to Chinese cities
    lagos = await answer_question(
        "Can officials from Lagos join?", locale="en", today=MARCH, places=places
    )
    assert "2018-10" not in {c.code for c in lagos.courses}
    assert lagos.text.startswith("Officials from Lagos may apply to:")
    # Lower case or inside Chinese text, only large cities are taken for names.
    kunming = await answer_question(
        "我是昆明市政府的公务员，昆明的官员可以参加吗？", locale="zh", today=MARCH, places=places
    )
    assert "2018-10" in {c.code for c in kunming.courses}
    davao = await answer_question(
        "can officials from davao join?", locale="en", today=MARCH, places=places
    )
    assert davao.text.startswith("Officials from Davao may apply to:")
    abbreviation = await answer_question(
        "can LGU officers join?", locale="en", today=MARCH, places=places
    )
    assert "Officials from" not in abbreviation.text


async def test_are_you_a_bot_gets_a_straight_answer(sample):
    """Asked whether it is a bot, it says so, and how to reach a person."""
    for text, lang, word in [
        ("lol ur fast. r u a bot?", "en", "bot"),
        ("哈哈 你是机器人吗？", "zh", "机器人"),
        ("ты бот?", "ru", "бот"),
    ]:
        answer = await answer_question(text, locale=lang, today=MARCH)
        assert answer.intent == "smalltalk" and word in answer.text, text


async def test_exchange_rates_are_not_courses(sample):
    """«курс евро» and 汇率 are money, not courses."""
    for text, lang in [("курс евро на сегодня какой?", "ru"), ("今天韩元汇率多少", "zh")]:
        answer = await answer_question(text, locale=lang, today=MARCH)
        assert answer.intent == "unknown" and answer.courses == (), text


async def test_place_names_follow_the_reader(sample):
    """A Taipei official reading Traditional Chinese sees 台北, not Taipei."""
    answer = await answer_question("台北市的公務員可以參加研習嗎？", locale="zh_Hant", today=MARCH)
    assert answer.locale == "zh_Hant" and "Taipei" not in answer.text
    assert re.search("台北|臺北", answer.text)


async def test_the_nth_day_of_a_named_course(sample):
    """'Day 2 of the Kyiv course' is 28 May 2018, whatever today is; the sample week has it."""
    answer = await answer_question(
        "what's on day 2 of the Kyiv smart city course?", locale="en", today=MARCH
    )
    assert answer.intent == "programme"
    assert format_date(date(2018, 5, 28), "full", locale="en") in answer.text.splitlines()[0]
    spanish = await answer_question(
        "¿Qué actividades hay el tercer día del curso de gestión urbana?", today=MARCH
    )
    assert format_date(date(2018, 5, 15), "full", locale="es") in spanish.text


async def test_a_day_named_with_its_month_is_that_day(sample):
    """ "May 14th" is Monday 14 May; with no published programme the answer still names the
    course running that day rather than saying only "nothing"."""
    answer = await answer_question("what's on May 14th?", locale="en", today=MARCH)
    assert answer.intent == "programme"
    assert format_date(date(2018, 5, 14), "full", locale="en") in answer.text
    assert [c.code for c in answer.courses] == ["2018-06"]
    assert not answer.offer_handoff


async def test_ok_is_acknowledged_not_thanked(sample):
    """'ок' and '好的' are acknowledgements: a thumbs-up in the reader's language, not
    'you are welcome'."""
    for text, loc, words in [("ок", "ru", "Пишите мне"), ("好的", "zh", "随时")]:
        answer = await answer_question(text, locale=loc, today=MARCH)
        assert answer.intent == "smalltalk" and answer.text.startswith("👍"), text
        assert words in answer.text and not answer.offer_handoff


async def test_asking_whether_a_city_is_a_member_does_not_make_it_one(sample):
    """'Is Manila a WeGO member?' leaves WeGO's course under 'open if your city is a member';
    'officials of WeGO member cities from Manila' would have opened it."""
    answer = await answer_question(
        "Is Manila a WeGO member?", locale="en", today=MARCH, places=default_index(PLACES_INDEX)
    )
    assert answer.intent == "eligibility"
    open_part, members_part = answer.text.split("Open if your city is a member", 1)
    assert "WeGO" not in open_part and "WeGO" in members_part


async def test_places_as_newcomers_wrote_them(sample):
    """'Lagos State Government' is not Paraná (state); 'Is Lagos a member?' names Lagos."""
    places = default_index(PLACES_INDEX)
    for text in ["Can officials from Lagos State Government participate?", "Is Lagos a member?"]:
        answer = await answer_question(text, locale="en", today=MARCH, places=places)
        assert answer.text.startswith("Officials from Lagos may apply to:"), text


def test_taiwan_written_with_its_official_character():
    from bot.features.places.countries import country_of

    assert country_of("臺灣") == country_of("台灣") == "TW"


def test_traditional_chinese_keeps_the_meaning_and_uses_taiwanese_terms():
    """s2twp's IT words would make 对象 (target group) an 'object' (物件)."""
    from bot.i18n import localise

    text = localise("招收对象：电子政务课程类型，气候变化，“申请”", "zh_Hant")
    assert text == "招收對象：電子化政府課程類型，氣候變遷，「申請」"


async def test_a_course_named_by_its_network_is_the_course_asked_about(sample):
    """'Can Medellín join CITYNET's April transport course?' is about that course, open only if
    Medellín is a member; 'can ICLEI members apply?' makes ICLEI the asker."""
    places = default_index(PLACES_INDEX)
    answer = await answer_question(
        "Medellin puede participar en el curso de transporte de CITYNET de abril?",
        locale="es",
        today=MARCH,
        places=places,
    )
    assert [c.code for c in answer.courses] == ["2018-04"]
    assert "miembro" in answer.text
    answer = await answer_question("can ICLEI members apply?", locale="en", today=MARCH)
    may_apply = answer.text.split("Open if your city is a member")[0]
    assert "Climate Change (ICLEI member cities)" in may_apply
