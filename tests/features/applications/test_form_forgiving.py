"""Forgiving forms: full-width and invisible characters, e-mail domain typos offered to
confirm, countries as people write them, the phone example of the applicant's country."""

from __future__ import annotations

import phonenumbers
import pytest
from sqlalchemy import select

from bot import db
from bot.core.models import Person
from bot.features.applications import form_text
from bot.features.applications.emails import suggest
from bot.features.applications.models import Application
from bot.features.applications.validators import check_latin_name, clean, match_country
from bot.i18n import set_locale
from tests.features.applications.test_form import fill, start_form


async def _app(uid: int) -> Application:
    async with db.session_scope() as s:
        person = await s.scalar(select(Person).where(Person.telegram_id == uid))
        return await s.scalar(select(Application).where(Application.person_id == person.id))


def _example(country: str) -> str:
    number = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


UP_TO_EMAIL = [
    ("text", "Wang Wei"),
    ("text", "China"),
    ("text", "Chengdu"),
    ("text", "City hall"),
    ("text", "Officer"),
    ("press", "ap:ch:1:seniority:working"),
]


async def test_full_width_address_phone_and_invisible_characters(sample, conv):
    """A Chinese keyboard's ＠, ｃｏｍ and full-width digits are read as plain ones; zero-width
    and bidi controls are dropped from the name and the other answers, emoji kept whole."""
    await start_form(conv, 7501, lang="en")
    name = "\u200bWang\u202e Wei\u202c\u2066\u2069 👩\u200d💻\ufeff"
    await fill(conv, 7501, [("text", name), *UP_TO_EMAIL[1:3]])
    await fill(conv, 7501, [("text", "\u200eChengdu\u200f City Hall\u061c"), *UP_TO_EMAIL[4:]])
    [phone_q] = await conv.send(7501, "wang＠chengdu.gov.ｃｎ")
    assert phone_q.text.startswith("8/11.")
    await conv.send(7501, "＋８６ １３８ ００１３ ８０００")
    answers = (await _app(7501)).answers
    assert answers["full_name"] == "Wang Wei 👩\u200d💻"
    assert answers["organisation"] == "Chengdu City Hall"
    assert answers["email"] == "wang@chengdu.gov.cn"
    assert answers["phone"] == "+8613800138000"


def test_cleaning_keeps_scripts_and_emoji():
    """Only width forms and invisible controls change; other scripts and symbols stay."""
    assert clean("  Айгуль 王小明 محمد ™ ²  ") == "Айгуль 王小明 محمد ™ ²"
    assert clean("ｃｏｍ\u3000１２３") == "com 123"
    assert clean("Ali\u202eecnarF") == "AliecnarF"
    # Chinese punctuation is how Chinese is written: it stays full width.
    assert clean("我想学习智慧城市，谢谢！（成都）") == "我想学习智慧城市，谢谢！（成都）"


def test_a_passport_name_with_a_comma_is_latin():
    """Taiwanese passports write the surname first with a comma: LIN, CHIH-MING."""
    assert check_latin_name("LIN, CHIH-MING") is None
    assert check_latin_name("林志明") is not None


async def test_a_mistyped_domain_is_offered_and_used(sample, conv):
    """'gmial.com': the likely address offered with two buttons; the suggestion waits in the
    draft (also after /cancel and /apply) and 'use' stores it."""
    await start_form(conv, 7502, lang="en")
    await fill(conv, 7502, UP_TO_EMAIL)
    [offer] = await conv.send(7502, "wang.wei@gmial.com")
    assert offer.text == "7/11. Did you mean wang.wei@gmail.com? You wrote wang.wei@gmial.com."
    buttons = [b for row in offer.buttons for b in row]
    assert [b["text"] for b in buttons] == [
        "✅ Use wang.wei@gmail.com",
        "Keep wang.wei@gmial.com",
    ]
    assert all(len(b["data"].encode()) <= 64 and "@" not in b["data"] for b in buttons)
    app = await _app(7502)
    assert app.step == "email" and "email" not in app.answers
    assert app.answers["email_offer"] == {
        "typed": "wang.wei@gmial.com",
        "suggested": "wang.wei@gmail.com",
    }
    await conv.send(7502, "/cancel")
    again = (await conv.send(7502, "/apply"))[-1]
    assert again.text.startswith("7/11. Did you mean wang.wei@gmail.com?")
    events = await conv.press(7502, "✅ Use wang.wei@gmail.com")
    assert events[-1].text.startswith("8/11. Your phone number")
    app = await _app(7502)
    assert app.answers["email"] == "wang.wei@gmail.com" and "email_offer" not in app.answers


async def test_keep_what_was_typed_in_russian(sample, conv):
    """'mial.ru' in Russian: 'keep' stores the address as typed."""
    await start_form(conv, 7503, lang="ru")
    await fill(conv, 7503, [("text", "Ivan Petrov"), ("text", "Россия"), ("text", "Казань")])
    await fill(conv, 7503, [("text", "Мэрия"), ("text", "Специалист")])
    await conv.press(7503, "ap:ch:1:seniority:working")
    [offer] = await conv.send(7503, "ivan@mial.ru")
    assert "ivan@mail.ru" in offer.text
    await conv.press(7503, "ap:ch:1:email:keep")
    assert (await _app(7503)).answers["email"] == "ivan@mial.ru"


async def test_a_new_address_typed_instead_replaces_the_offer(sample, conv):
    """Typing another address while the offer waits takes it instead."""
    await start_form(conv, 7504, lang="en")
    await fill(conv, 7504, UP_TO_EMAIL)
    await conv.send(7504, "wang@qq.con")
    [phone_q] = await conv.send(7504, "wang@qq.com")
    assert phone_q.text.startswith("8/11.")
    app = await _app(7504)
    assert app.answers["email"] == "wang@qq.com" and "email_offer" not in app.answers


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("a@gmial.com", "a@gmail.com"),
        ("a@gmai.com", "a@gmail.com"),
        ("a@hotmial.com", "a@hotmail.com"),
        ("a@yaho.com", "a@yahoo.com"),
        ("a@outlok.com", "a@outlook.com"),
        ("a@mial.ru", "a@mail.ru"),
        ("a@qq.con", "a@qq.com"),
        ("a@163.cm", "a@163.com"),
        ("a@gmail.co", "a@gmail.com"),
        # Known, official or another country's real provider: never "corrected".
        ("a@gmail.com", None),
        ("a@city.gov.cn", None),
        ("a@bishkek.gov.kg", None),
        ("a@bogota.gov.co", None),
        ("a@buenosaires.gob.ar", None),
        ("a@seoul.go.kr", None),
        ("a@mail.kg", None),
        ("a@yandex.kz", None),
        ("a@hotmail.co.uk", None),
        ("a@163.net", None),
    ],
)
def test_domain_suggestions(typed, expected):
    assert suggest(typed) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Phils", "PH"),
        ("Phil.", "PH"),
        ("РФ", "RU"),
        ("Киргизия", "KG"),
        ("Kirguistán", "KG"),
        ("Kyrgyz Rep.", "KG"),
        ("中国大陆", "CN"),
        ("КНР", "CN"),
        ("KSA", "SA"),
        ("UAE", "AE"),
        ("ОАЭ", "AE"),
        ("Viet Nam", "VN"),
        ("USA", "US"),
        ("США", "US"),
        ("Turkey", "TR"),
        ("Czech Republic", "CZ"),
        ("Ivory Coast", "CI"),
        ("Burma", "MM"),
        ("Молдавия", "MD"),
        ("Белоруссия", "BY"),
        ("Монгол Улс", "MN"),
        ("Тоҷикистон", "TJ"),
        ("Hrvatska", "HR"),
        ("KOR", "KR"),
        ("Lao PDR", "LA"),
        ("Colmbia", "CO"),
    ],
)
def test_countries_as_officials_write_them(text, code):
    assert match_country(text, "en") == [code]


async def test_an_abbreviated_country_in_the_form(sample, conv):
    """'KSA' is Saudi Arabia, straight on to the city question."""
    await start_form(conv, 7505, lang="en")
    await conv.send(7505, "Ahmed Ali")
    [question] = await conv.send(7505, "KSA")
    assert question.text.startswith("3/11.")
    assert (await _app(7505)).answers["country"] == "SA"


async def test_the_phone_example_is_of_the_applicants_country(sample, conv):
    """Kyrgyzstan: a Kyrgyz mobile number in the question and in the refusal."""
    await start_form(conv, 7506, lang="ru")
    await fill(conv, 7506, [("text", "Aigul Asanova"), ("text", "Кыргызстан")])
    await fill(conv, 7506, [("text", "Бишкек"), ("text", "Мэрия"), ("text", "Специалист")])
    await conv.press(7506, "ap:ch:1:seniority:working")
    [question] = await conv.send(7506, "aigul@bishkek.gov.kg")
    assert f"например {_example('KG')}." in question.text and "+57" not in question.text
    [problem, _again] = await conv.send(7506, "позвоните мне")
    assert f"например {_example('KG')}, или" in problem.text


def test_a_generic_phone_example_without_a_country():
    set_locale("en")
    assert "e.g. +<country code> <number>." in form_text.prompt("phone", {})
    assert f"e.g. {_example('CO')}." in form_text.prompt("phone", {"country": "CO"})
