"""10 000 generated updates through the webhook: never a 5xx, never a handler error, and the
database stays consistent.

Hypothesis draws *specs* (who, what kind, which text); the test turns each into the JSON
Telegram would send, through the Bot API double's factories where the double must know the
message (so replies, edits and callback answers are checked as Telegram checks them).
"""

from __future__ import annotations

import asyncio
import copy
import logging
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot import db
from bot.config import SUPPORTED_LOCALES
from bot.core.models import Person, PersonRole
from tests.web.conftest import TOKEN, Web

# Many chats, so the per-chat flood limits (1/s private, 20/min groups) rarely hold a reply.
USERS = list(range(70_001, 70_601))
GROUPS = list(range(-100_700_100, -100_700_000))
CHANNEL = -100_888
EXAMPLES, PER_EXAMPLE = 200, 50  # 10 000 updates
WALL_BUDGET = 150.0  # seconds; the run stops drawing examples past it (CI is shared)

SCRIPTS = [
    "有面向中国城市的课程吗？",
    "水资源管理课程什么时候开始",
    "Какие курсы в мае? Кто оплачивает перелёт?",
    "¿Cuándo es el curso de agua? ñandú",
    "متى تبدأ الدورة التدريبية؟",
    "서울 연수 과정 일정",
    "👩‍👩‍👧‍👦🏳️‍🌈👨🏽‍💻",
    "\u200d\u200b\u2066\u202e",
    "/start apply-ZZZ",
    "/courses 2018",
]
texts = st.one_of(
    st.sampled_from(SCRIPTS),
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=80),
    # 5 000+ characters without drawing each one (Hypothesis' buffer is small).
    st.builds(lambda s, n: (s or "ж") * n, st.sampled_from(SCRIPTS), st.integers(600, 900)),
)
callback_data = st.one_of(
    st.builds("{}:{}".format, st.sampled_from(["lang", "menu", "course", "apply", "pc"]), texts),
    st.text(max_size=70),
    st.just(""),
)
COMMANDS = "start help language courses apply status cancel contact postcard survey today mydata"
commands = st.sampled_from([f"/{c}" for c in COMMANDS.split()] + ["/nope", "/start@liaison_bot"])
KINDS = {
    "text": st.tuples(st.just("text"), texts, st.booleans()),
    "command": st.tuples(st.just("command"), commands, texts),
    "callback": st.tuples(st.just("callback"), callback_data),
    "edited": st.tuples(st.just("edited"), texts),
    "group": st.tuples(st.just("group"), texts),
    "channel": st.tuples(st.just("channel"), texts),
    "unknown": st.tuples(st.just("unknown"), st.from_regex(r"[a-z_]{3,20}", fullmatch=True)),
    "other": st.tuples(st.just("other"), st.sampled_from(["inline_query", "poll_answer"])),
    "broken": st.tuples(st.just("broken"), st.integers(0, 5)),
    "garbage": st.tuples(st.just("garbage"), st.binary(max_size=200)),
    "forged": st.tuples(st.just("forged"), st.sampled_from([None, "", "guess"])),
}
# Percent of each kind. Kinds the bot answers with a message are kept to about a tenth:
# every send waits for the real flood budget (30/s overall, 1/s per chat, 20/min per group),
# and the dispatcher handles one update at a time, so they set the test's wall time.
WEIGHTS = {"text": 5, "command": 3, "group": 3, "callback": 9, "edited": 10, "channel": 10}
WEIGHTS |= {"unknown": 10, "other": 5, "broken": 15, "garbage": 15, "forged": 15}
spec = st.sampled_from([k for k, w in WEIGHTS.items() for _ in range(w)]).flatmap(KINDS.get)


def build(web: Web, item: tuple, n: int) -> tuple[object, str | None, bool]:
    """(body, secret override or None, whether the update must be accepted).

    Senders rotate through USERS and GROUPS (the n-th update comes from the n-th user), so
    Hypothesis varies the content while the flood limits per chat stay out of the way.
    """
    kind, double, update_id = item[0], web.double, 1_000_000 + n
    user, group = USERS[n % len(USERS)], GROUPS[n % len(GROUPS)]
    if kind == "text":
        _, text, strip = item
        raw = double.make_message_update(user, text or ".")
        if strip:  # optional fields Telegram may leave out
            for key in ("language_code", "username", "last_name"):
                raw["message"]["from"].pop(key, None)
        return raw, None, True
    if kind == "command":
        _, command, args = item
        return double.make_message_update(user, f"{command} {args}"[:4096]), None, True
    if kind == "callback":
        mark = double.last_message(user, from_bot=True)
        raw = double.make_callback_update(user, mark["message_id"], "x")
        raw["callback_query"]["data"] = item[1]
        return raw, None, True
    if kind == "edited":
        raw = double.make_message_update(user, item[1] or ".")
        raw["edited_message"] = dict(raw.pop("message"), edit_date=int(time.time()))
        return raw, None, True
    if kind == "group":
        return double.make_message_update(user, item[1] or ".", chat_id=group), None, True
    if kind == "channel":
        chat = {"id": CHANNEL, "type": "channel", "title": "News"}
        post = {"message_id": update_id, "date": 1, "chat": chat, "sender_chat": chat}
        return {"update_id": update_id, "channel_post": dict(post, text=item[1])}, None, True
    if kind == "unknown":
        return {"update_id": update_id, item[1]: {"id": 1, "anything": [1, "x"]}}, None, True
    if kind == "other":
        sender = copy.deepcopy(double.state.users[user])
        body = {"id": str(update_id), "from": sender, "query": "q", "offset": ""}
        if item[1] == "poll_answer":
            body = {
                "poll_id": "p",
                "user": sender,
                "option_ids": [0],
                "option_persistent_ids": ["0"],
            }
        return {"update_id": update_id, item[1]: body}, None, True
    if kind == "broken":
        broken = [
            {"update_id": update_id, "message": {"message_id": 1, "date": 1}},
            {"update_id": str(update_id), "message": {}},
            {"update_id": update_id, "callback_query": {"id": "1", "data": "lang:ru"}},
            {"update_id": update_id, "message": {"message_id": 1, "date": 1, "chat": []}},
            [update_id],
            {"message": {"text": "no update id"}},
        ]
        return broken[item[1]], None, False
    if kind == "garbage":
        return item[1], None, False
    raw = double.make_message_update(user, "/start")
    return raw, item[1] or "__none__", False


async def check_database() -> None:
    """Every person has a supported locale; no role points at a missing person."""
    async with db.session_scope() as session:
        locales = set((await session.execute(select(Person.locale).distinct())).scalars())
        orphans = (
            await session.execute(
                select(func.count())
                .select_from(PersonRole)
                .outerjoin(Person, Person.id == PersonRole.person_id)
                .where(Person.id.is_(None))
            )
        ).scalar_one()
        ids = set((await session.execute(select(Person.telegram_id))).scalars())
    assert locales <= set(SUPPORTED_LOCALES), locales
    assert orphans == 0
    assert ids <= set(USERS), ids - set(USERS)  # no row for forged or channel senders


async def test_ten_thousand_generated_updates(web: Web, caplog):
    """No 5xx, no error counted or logged, and a consistent database afterwards."""
    for n, user_id in enumerate(USERS):
        web.conv.user(user_id, f"Тест{n}", ["en", "ru", "zh-hans", "es", "ar", "ko", None][n % 7])
        # Telegram side: one earlier bot message with a button, so callbacks have a target.
        markup = {"inline_keyboard": [[{"text": "Menu", "callback_data": "menu:help"}]]}
        await web.double.call(
            TOKEN, "sendMessage", {"chat_id": user_id, "text": "…", "reply_markup": markup}
        )
    for n, group in enumerate(GROUPS):
        web.double.add_group_chat(group, f"Alumni {n}")
    web.double.add_group_chat(CHANNEL, "News", type_="channel")
    started = time.monotonic()
    seen = {"updates": 0, "refused": 0}
    caplog.set_level(logging.ERROR)

    async def run_batch(batch: list[tuple]) -> None:
        if time.monotonic() - started > WALL_BUDGET:
            return
        for item in batch:
            seen["updates"] += 1
            body, secret, accepted = build(web, item, seen["updates"])
            if secret == "__none__":
                response = await web.post(body, secret=None)
            elif secret is not None:
                response = await web.post(body, secret=secret)
            else:
                response = await web.post(body)
            assert response.status_code < 500, (item, response.text)
            assert (response.status_code == 200) == accepted, (item, response.status_code)
            seen["refused"] += not accepted
        await web.drain(120)
        assert web.counter("liaison_handler_errors_total") == 0
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

    loop = asyncio.get_running_loop()

    # Hypothesis drives a synchronous test: it runs in a worker thread and hands each batch
    # to this event loop, where the Application and the double live.
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same 10 000 updates on every run and database
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(batch=st.lists(spec, min_size=PER_EXAMPLE, max_size=PER_EXAMPLE))
    def run(batch: list[tuple]) -> None:
        asyncio.run_coroutine_threadsafe(run_batch(batch), loop).result()

    await asyncio.to_thread(run)
    await check_database()
    elapsed = time.monotonic() - started
    print(f"fuzz: {seen['updates']} updates ({seen['refused']} refused) in {elapsed:.1f} s")
    assert seen["updates"] >= EXAMPLES * PER_EXAMPLE or elapsed > WALL_BUDGET
    assert web.counter("liaison_webhook_requests_total", outcome="accepted") > 0
