"""The city question as trainees answer it: own script and administrative words, an ambiguous
name offered as buttons, an unknown one asked again; the home zone follows the city."""

from __future__ import annotations

from babel import Locale
from sqlalchemy import select

from bot import db
from bot.core.models import City, Person
from bot.features.applications.models import Application
from bot.features.followups.schedule import home_zone
from tests.features.applications.test_form import fill, start_form


async def _answers(uid: int) -> dict:
    async with db.session_scope() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == uid))
        app = await s.scalar(select(Application).where(Application.person_id == person.id))
        return dict(app.answers)


async def test_bishkek_in_russian_gets_bishkek_time(sample, conv):
    """'г. Бишкек' from a Kyrgyz-language Telegram: GeoNames Bishkek; after submitting, the
    person's city is a new city row in Asia/Bishkek, which their follow-ups use."""
    await start_form(conv, 7401, lang="ky")
    names = [("text", "Айгуль Асанова"), ("text", "Aigul Asanova"), ("text", "Кыргызстан")]
    await fill(conv, 7401, names)
    [question] = await conv.send(7401, "г. Бишкек")
    assert question.text.startswith("5/12.")  # taken: on to the organisation
    answers = await _answers(7401)
    assert answers["city"] == "г. Бишкек"
    assert (answers["geonameid"], answers["city_zone"]) == (1528675, "Asia/Bishkek")
    rest = [
        ("text", "Мэрия города Бишкек"),
        ("text", "Главный специалист"),
        ("press", "ap:ch:1:seniority:working"),
        ("text", "aigul@bishkek.gov.kg"),
        ("press", "ap:ch:1:phone:skip"),
        ("press", "ap:ch:1:language:ru"),
        ("text", "Хочу внедрить умный транспорт."),
        ("press", "ap:ch:1:consent:yes"),
        ("press", "ap:sub:1"),
    ]
    await fill(conv, 7401, rest)
    async with db.session_scope() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == 7401))
        city = await s.get(City, person.city_id)
        zone = await home_zone(s, person)
    assert (city.key, city.name, city.country) == ("gn:1528675", "Bishkek", "KG")
    assert city.aliases == ["г. Бишкек"] and str(zone) == "Asia/Bishkek"


async def test_an_ambiguous_city_is_offered_as_buttons(sample, conv):
    """'Valencia' from someone who gave another country: both Valencias to choose from."""
    await start_form(conv, 7402, lang="en")
    await fill(conv, 7402, [("text", "Ana Pérez"), ("text", "Kyrgyzstan")])
    [question] = await conv.send(7402, "Valencia")
    assert question.text.startswith("3/11. Which of these cities do you mean?")
    labels = [b["text"] for row in question.buttons for b in row]
    assert "Valencia, Venezuela" in labels and "Valencia, Spain" in labels
    events = await conv.press(7402, "Valencia, Spain")
    [next_question] = [e for e in events if e.method == "sendMessage"]
    assert next_question.text.startswith("4/11.")
    answers = await _answers(7402)
    assert (answers["city"], answers["city_country"], answers["city_zone"]) == (
        "Valencia",
        "ES",
        "Europe/Madrid",
    )


async def test_the_country_given_decides_and_forged_city_buttons_are_refused(sample, conv):
    """Spain given first: 'Valencia' is Spain's. A forged city id is a stale button."""
    await start_form(conv, 7403, lang="es")
    await fill(conv, 7403, [("text", "Ana Pérez"), ("text", "España")])
    [question] = await conv.send(7403, "valencia")
    assert question.text.startswith("4/11.")
    assert (await _answers(7403))["city_zone"] == "Europe/Madrid"
    await conv.press_data(7403, question.message_id, "ap:ch:1:city:99999999")
    assert conv.double.callback_answers[-1]["text"] == "Este botón ya no es válido."


async def test_an_unknown_town_keeps_its_name_and_takes_the_zone_of_a_large_city(sample, conv):
    """Nothing found: asked for the nearest large city; the town typed stays the person's
    city, the large one gives only the zone, and the summary says so."""
    await start_form(conv, 7404, lang="en")
    await fill(conv, 7404, [("text", "Juan Dela Cruz"), ("text", "Philippines")])
    [problem, again] = await conv.send(7404, "Barangay Nowhere Sur")
    assert problem.text.startswith(
        "I could not find “Barangay Nowhere Sur”. If it is a small town, please write the "
        "nearest large city: “Barangay Nowhere Sur” stays your city"
    )
    assert again.text.startswith("3/11.") and "city" not in await _answers(7404)
    [question] = await conv.send(7404, "Manila City")
    assert question.text.startswith("4/11.")
    answers = await _answers(7404)
    assert (answers["city"], answers["city_name"], answers["city_zone"]) == (
        "Barangay Nowhere Sur",
        "Manila",
        "Asia/Manila",
    )
    assert answers["city_near"] is True and answers["city_key"] is None
    assert "city_unfound" not in answers
    rest = [
        ("text", "City hall"),
        ("text", "Officer"),
        ("press", "ap:ch:1:seniority:working"),
        ("text", "juan@nowhere.gov.ph"),
        ("press", "ap:ch:1:phone:skip"),
        ("press", "ap:ch:1:language:en"),
        ("text", "To learn."),
    ]
    await fill(conv, 7404, rest)
    events = await conv.press(7404, "ap:ch:1:consent:yes")
    [summary] = [e for e in events if e.method == "sendMessage"]
    philippines = Locale.parse("en").territories["PH"]
    assert f"• City: Barangay Nowhere Sur — time zone of Manila, {philippines}" in summary.text
    await conv.press(7404, "ap:sub:1")
    async with db.session_scope() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == 7404))
        city = await s.get(City, person.city_id)
        zone = await home_zone(s, person)
    # The town is a city of its own in the statistics, on Manila's clock.
    assert (city.name, city.country, str(zone)) == ("Barangay Nowhere Sur", "PH", "Asia/Manila")


async def test_a_corrected_spelling_is_the_city_itself(sample, conv):
    """A misspelt town not found, then written right: that city, not a town near it."""
    await start_form(conv, 7405, lang="en")
    await fill(conv, 7405, [("text", "Ana Gómez"), ("text", "Colombia")])
    [_problem, _again] = await conv.send(7405, "Baranquiyaa")
    [question] = await conv.send(7405, "Barranquilla")
    assert question.text.startswith("4/11.")
    answers = await _answers(7405)
    assert (answers["city"], answers["city_name"]) == ("Barranquilla", "Barranquilla")
    assert "city_near" not in answers


async def test_a_town_then_an_ambiguous_large_city_chosen_by_button(sample, conv):
    """The large city may itself be chosen among candidates: the town still stays."""
    await start_form(conv, 7406, lang="en")
    await fill(conv, 7406, [("text", "Ana Pérez"), ("text", "Kyrgyzstan")])
    await conv.send(7406, "Pueblito Inexistente")
    [question] = await conv.send(7406, "Valencia")
    assert question.text.startswith("3/11. Which of these cities do you mean?")
    await conv.press(7406, "Valencia, Spain")
    answers = await _answers(7406)
    assert (answers["city"], answers["city_zone"], answers["city_near"]) == (
        "Pueblito Inexistente",
        "Europe/Madrid",
        True,
    )


async def test_a_new_city_counts_in_the_statistics(sample, conv):
    """Accepted applicants from Bishkek and Manila (cities the sample does not know) are two
    more cities and countries in the year's statistics."""
    from bot.features.stats.service import year_stats

    before = await year_stats(2018)
    for uid, country, city in ((7411, "Кыргызстан", "г. Бишкек"), (7412, "Philippines", "Manila")):
        await start_form(conv, uid, lang="ru")
        rest = [
            ("text", "Test Person"),
            ("text", country),
            ("text", city),
            ("text", "City hall"),
            ("text", "Officer"),
            ("press", "ap:ch:{app}:seniority:working"),
            ("text", "person@city.gov"),
            ("press", "ap:ch:{app}:phone:skip"),
            ("press", "ap:ch:{app}:language:ru"),
            ("text", "Motivation."),
            ("press", "ap:ch:{app}:consent:yes"),
            ("press", "ap:sub:{app}"),
        ]
        app = uid - 7410
        await fill(conv, uid, [(k, v.format(app=app)) for k, v in rest])
    async with db.session_scope() as s:
        for app in await s.scalars(select(Application)):
            assert app.status == "submitted", app.answers
            app.status = "accepted"
    after = await year_stats(2018)
    assert (after.cities, after.countries) == (before.cities + 2, before.countries + 2)


async def test_a_city_found_only_in_another_country_is_not_filed_silently(sample, conv):
    """Philippines given, then a short form that only another country's city goes by: the
    bot shows what it found as a button instead of using that country's clock."""
    await start_form(conv, 7421, lang="en")
    await fill(conv, 7421, [("text", "Juan Dela Cruz"), ("text", "Phils")])
    [question] = await conv.send(7421, "Mla")
    assert question.text.startswith("3/11. Which of these cities do you mean?")
    assert "city" not in await _answers(7421)


async def test_one_name_in_several_time_zones_of_the_country_asks(sample, conv):
    """USA and 'Springfield': cities of that name in different zones are offered."""
    await start_form(conv, 7422, lang="en")
    await fill(conv, 7422, [("text", "Pat Smith"), ("text", "USA")])
    [question] = await conv.send(7422, "Springfield")
    labels = [b["text"] for row in question.buttons for b in row]
    assert len(labels) >= 2 and all(label.startswith("Springfield") for label in labels[:2])


async def test_official_and_province_first_spellings_and_the_summary_shows_the_place(sample, conv):
    """'四川省成都市' is Chengdu; the summary shows the typed name and the place taken."""
    await start_form(conv, 7423, lang="zh")
    await fill(conv, 7423, [("text", "王伟"), ("text", "Wang Wei"), ("text", "中華人民共和國")])
    [question] = await conv.send(7423, "四川省成都市")
    assert question.text.startswith("5/12.")
    answers = await _answers(7423)
    assert (answers["country"], answers["city_name"]) == ("CN", "Chengdu")
    rest = [
        ("text", "成都市人民政府"),
        ("text", "处长"),
        ("press", "ap:ch:1:seniority:working"),
        ("text", "wang@chengdu.gov.cn"),
        ("press", "ap:ch:1:phone:skip"),
        ("press", "ap:ch:1:language:zh"),
        ("text", "学习首尔的经验。"),
    ]
    await fill(conv, 7423, rest)
    events = await conv.press(7423, "ap:ch:1:consent:yes")
    [summary] = [e for e in events if e.method == "sendMessage"]
    china = Locale.parse("zh").territories["CN"]
    assert f"四川省成都市 (Chengdu, {china})" in summary.text
