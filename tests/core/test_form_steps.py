"""The form engine's step strings: every format the forms store decodes and encodes back."""

from __future__ import annotations

import pytest

from bot.core.forms import steps
from bot.core.forms.steps import Step

# Step strings as the applications, postcards, evaluation and survey code wrote them.
STORED = [
    "full_name",
    "edit:name_latin",
    "paused:city",
    "paused:edit:email",
    "summary",
    "paused:summary",
    "inspired_by",
    "action:1",
    "edit:action:3",
    "paused:edit:target:2",
    "more",
    "st0",
    "ev12",
    "paused:st3",
    "rating",
    "paused:comment",
    "vol",
    "usefulness",
    "site_visits",
]


@pytest.mark.parametrize("raw", STORED)
def test_round_trip(raw: str) -> None:
    """Rows written before the engine decode and encode to the very same string."""
    step = steps.parse(raw)
    assert step is not None and str(step) == raw


def test_decoded_parts() -> None:
    """Key, number, modes and the separator of a numbered question."""
    assert steps.parse("paused:edit:target:2") == Step("target", 2, editing=True, paused=True)
    assert steps.parse("st0") == Step("st", 0, sep="")
    assert steps.parse("ev12").body == "ev12"
    assert steps.parse("full_name") == Step("full_name")
    assert steps.parse("summary").at_summary
    assert steps.parse(None) is None and steps.parse("") is None


def test_same_question_ignores_modes() -> None:
    """A button of a question answers it whether it is being edited or paused."""
    assert Step("target", 2).same_question(steps.parse("paused:edit:target:2"))
    assert not Step("target", 1).same_question(steps.parse("target:2"))
    assert Step("st", 0).same_question(steps.parse("st0"))


def test_pause_and_resume_are_idempotent() -> None:
    """Pausing twice marks once; resuming keeps the edit mode."""
    assert steps.paused(steps.paused("edit:city")) == "paused:edit:city"
    assert steps.resumed("paused:edit:city") == "edit:city"
    assert steps.resumed("city") == "city"
    assert str(Step("city").edit()) == "edit:city"
    assert str(steps.parse("paused:city").edit()) == "edit:city"
