"""The callback data codec: packs typed fields, decodes them back, refuses forged data."""

import pytest

from bot.core.callbacks import CODE, ID, VALUE, WORD, Codec

CB = Codec("zz")
NEW = CB.action("new", code=CODE)
CHOICE = CB.action("ch", app=ID, field=WORD, value=VALUE)
ONLY = CB.action("all")


def test_round_trip_with_types():
    data = CHOICE.pack(app=12, field="seniority", value="senior")
    assert data == "zz:ch:12:seniority:senior"
    press = CB.decode(data)
    assert press is not None and press.action == "ch"
    assert press.app == 12 and isinstance(press.app, int)
    assert (press.field, press.value) == ("seniority", "senior")
    assert CB.decode(NEW.data("2018-04")).code == "2018-04"
    assert CB.decode(ONLY.pack()).action == "all"


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "zz",
        "zz:",
        "zz:nope:1",
        "xx:new:2018-04",
        "zz:new",
        "zz:new:2018-04:extra",
        "zz:ch:abc:seniority:senior",
        "zz:ch:1234567890123:seniority:senior",
        "zz:ch:12:Seniority:senior",
        "zz:ch:12:seniority:sen ior",
        "zz:new:" + "x" * 33,
        "zz:all:1",
    ],
)
def test_forged_data_does_not_decode(data):
    assert CB.decode(data) is None


def test_pack_refuses_what_it_could_not_decode():
    with pytest.raises(ValueError):
        CHOICE.pack(app="12a", field="seniority", value="senior")
    with pytest.raises(KeyError):
        CHOICE.pack(app=1, field="seniority")
    with pytest.raises(ValueError):
        CB.action("new", code=CODE)


def test_pattern_routes_only_its_prefix():
    import re

    assert re.match(CB.pattern, "zz:new:1")
    assert not re.match(CB.pattern, "zzz:new:1")


LIST = CB.action("ls")
PAGE = CB.action("ls", course=ID, page=ID)
OFFER = CB.action("offer", choice=WORD, app=ID)


def test_an_action_in_two_shapes_decodes_by_its_number_of_fields():
    assert CB.decode(LIST.pack()).get("page") is None
    press = CB.decode(PAGE.pack(course=3, page=1))
    assert (press.action, press.course, press.page) == ("ls", 3, 1)
    assert CB.decode("zz:ls:3") is None
    with pytest.raises(ValueError):
        CB.action("ls", a=ID, b=ID)


def test_action_patterns_split_one_prefix_between_handlers():
    import re

    assert re.match(OFFER.pattern, "zz:offer:take:1")
    assert not re.match(OFFER.pattern, "zz:offers")
    rest = CB.pattern_without(OFFER)
    assert re.match(rest, "zz:ls") and re.match(rest, "zz:offers:1")
    assert not re.match(rest, "zz:offer:take:1") and not re.match(rest, "zz:offer")
