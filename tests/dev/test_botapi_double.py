"""The Bot API double, exercised through a real python-telegram-bot Bot over HTTP."""

from __future__ import annotations

import asyncio
import json
import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter

from bot.core.ratelimit import retry_seconds
from bot.dev.botapi import BotApiDouble

ALICE = 1001
BOB = 1002
GROUP = -100777

# PTB itself warns whenever it builds a RetryAfter (int -> timedelta migration); not our concern.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    """One row per (label, callback_data) pair."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    """A valid PNG header is all the double needs to read the size."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def saved_bytes(path: str) -> bytes | None:
    """Contents of a file the double saved, or None if it is missing."""
    file = Path(path)
    return file.read_bytes() if file.exists() else None


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[BotApiDouble]:
    """A started double with Alice, Bob and one supergroup registered."""
    double = BotApiDouble(files_dir=tmp_path / "files")
    double.add_private_chat(ALICE, "Alice", username="alice", language_code="ko")
    double.add_private_chat(BOB, "Bob")
    double.add_group_chat(GROUP, "Liaisons")
    await double.start()
    yield double
    await double.stop()


async def make_bot(double: BotApiDouble, token: str | None = None) -> Bot:
    """An initialised PTB Bot pointed at the double."""
    bot = Bot(token or double.token, base_url=double.base_url, base_file_url=double.base_file_url)
    await bot.initialize()
    return bot


@pytest.fixture
async def tg(api: BotApiDouble) -> AsyncIterator[Bot]:
    """A PTB Bot talking to the `api` double."""
    bot = await make_bot(api)
    yield bot
    await bot.shutdown()


async def test_get_me_identifies_the_bot(api: BotApiDouble, tg: Bot) -> None:
    assert tg.id == api.bot_id == 123456
    assert tg.username == api.bot_username
    assert api.base_url.startswith("http://127.0.0.1:")


async def test_send_message_with_keyboard_is_recorded(api: BotApiDouble, tg: Bot) -> None:
    sent = await tg.send_message(ALICE, "Pick one", reply_markup=keyboard(("Yes", "y:1")))
    assert sent.message_id == 1
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "y:1"
    event = api.sent[-1]
    assert (event.method, event.chat_id, event.message_id) == ("sendMessage", ALICE, 1)
    assert event.text == "Pick one"
    assert event.buttons == [[{"text": "Yes", "data": "y:1"}]]
    assert api.counters["sendMessage"] == 1 and api.counters["200"] >= 2
    assert api.events_since(0) == [event] and api.events_since(event.seq) == []
    assert api.seq == event.seq
    assert api.last_message(ALICE)["text"] == "Pick one"
    api.make_message_update(ALICE, "thanks")
    assert api.last_message(ALICE, from_bot=True)["message_id"] == 1
    assert api.last_message(ALICE)["text"] == "thanks"


async def test_find_button_by_label_and_data(api: BotApiDouble, tg: Bot) -> None:
    await tg.send_message(ALICE, "old", reply_markup=keyboard(("Old", "old")))
    markup = keyboard(("Confirm attendance", "att:yes"), ("Decline", "att:no"))
    sent = await tg.send_message(ALICE, "Attend?", reply_markup=markup)
    await tg.send_message(ALICE, "no buttons here")
    assert api.find_button(ALICE, "Decline") == (sent.message_id, "att:no")
    assert api.find_button(ALICE, "att:yes") == (sent.message_id, "att:yes")
    assert api.find_button(ALICE, "decline") == (sent.message_id, "att:no")
    assert api.find_button(ALICE, "confirm") == (sent.message_id, "att:yes")
    with pytest.raises(LookupError, match="Confirm attendance"):
        api.find_button(ALICE, "Old")
    with pytest.raises(LookupError):
        api.find_button(BOB, "anything")


async def test_edit_message_text_and_not_modified(api: BotApiDouble, tg: Bot) -> None:
    sent = await tg.send_message(ALICE, "v1", reply_markup=keyboard(("A", "a")))
    edited = await tg.edit_message_text(
        "v2", ALICE, sent.message_id, reply_markup=keyboard(("B", "b"))
    )
    assert edited.text == "v2" and edited.edit_date is not None
    assert api.last_buttons_message(ALICE)["text"] == "v2"
    assert api.sent[-1].method == "editMessageText" and api.sent[-1].buttons[0][0]["data"] == "b"
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await tg.edit_message_text("v2", ALICE, sent.message_id, reply_markup=keyboard(("B", "b")))
    # Omitting reply_markup on an edit drops the keyboard, as on real Telegram.
    await tg.edit_message_text("v3", ALICE, sent.message_id)
    assert api.last_buttons_message(ALICE) is None
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await tg.edit_message_text("x", ALICE, 999)


async def test_edit_reply_markup(api: BotApiDouble, tg: Bot) -> None:
    sent = await tg.send_message(ALICE, "menu", reply_markup=keyboard(("A", "a")))
    await tg.edit_message_reply_markup(ALICE, sent.message_id, reply_markup=keyboard(("C", "c")))
    assert api.find_button(ALICE, "C") == (sent.message_id, "c")
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await tg.edit_message_reply_markup(
            ALICE, sent.message_id, reply_markup=keyboard(("C", "c"))
        )


async def test_unknown_chat_is_bad_request(tg: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await tg.send_message(424242, "hello?")


async def test_text_length_limits_count_utf16(api: BotApiDouble, tg: Bot) -> None:
    await tg.send_message(ALICE, "a" * 4096)
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await tg.send_message(ALICE, "a" * 4097)
    await tg.send_message(ALICE, "😀" * 2048)  # 2 UTF-16 units each
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await tg.send_message(ALICE, "😀" * 2048 + "a")
    await tg.send_message(ALICE, "한" * 4096)  # BMP: 1 unit each
    with pytest.raises(BadRequest, match=r"(?i)empty"):
        await tg.send_message(ALICE, "   ")
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await tg.send_document(ALICE, b"x", filename="a.txt", caption="c" * 1025)


async def test_html_is_validated_and_stripped(api: BotApiDouble, tg: Bot) -> None:
    sent = await tg.send_message(
        ALICE, "<b>Hi</b> &amp; <a href='https://x.org'>go</a>", parse_mode="HTML"
    )
    assert sent.text == "Hi & go"
    assert [e.type for e in sent.entities] == ["bold", "text_link"]
    assert sent.text_html == '<b>Hi</b> &amp; <a href="https://x.org">go</a>'
    await tg.send_message(ALICE, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await tg.send_message(ALICE, "<b>unclosed", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)unsupported start tag"):
        await tg.send_message(ALICE, "<div>x</div>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await tg.send_message(ALICE, "<b><i>x</b></i>", parse_mode="HTML")


async def test_callback_data_limit(tg: Bot) -> None:
    await tg.send_message(ALICE, "ok", reply_markup=keyboard(("x", "d" * 64)))
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await tg.send_message(ALICE, "no", reply_markup=keyboard(("x", "d" * 65)))
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await tg.send_message(ALICE, "no", reply_markup=keyboard(("x", "한" * 22)))  # 66 bytes


async def test_blocked_user_is_forbidden(api: BotApiDouble, tg: Bot) -> None:
    api.block(BOB)
    with pytest.raises(Forbidden, match=r"(?i)blocked"):
        await tg.send_message(BOB, "hi")
    with pytest.raises(Forbidden):
        await tg.send_chat_action(BOB, "typing")
    assert api.sent == []
    api.unblock(BOB)
    await tg.send_message(BOB, "hi again")
    assert len(api.sent) == 1


async def test_global_flood_limit(tmp_path: Path) -> None:
    # A frozen clock keeps every request inside one window however slow the machine is.
    async with BotApiDouble(files_dir=tmp_path, enforce_limits=True, clock=lambda: 5.0) as api:
        users = range(2000, 2040)
        for uid in users:
            api.add_private_chat(uid)
        bot = await make_bot(api)
        try:
            results = await asyncio.gather(
                *(bot.send_message(uid, "news") for uid in users), return_exceptions=True
            )
        finally:
            await bot.shutdown()
    limited = [r for r in results if isinstance(r, RetryAfter)]
    assert limited and all(
        not isinstance(r, Exception) or isinstance(r, RetryAfter) for r in results
    )
    assert api.counters["429"] == len(limited) >= 10
    assert len(api.sent) <= 30 == len(results) - len(limited)


async def test_private_chat_burst_limit(tmp_path: Path) -> None:
    async with BotApiDouble(files_dir=tmp_path, enforce_limits=True, clock=lambda: 5.0) as api:
        api.add_private_chat(ALICE)
        bot = await make_bot(api)
        try:
            for _ in range(3):
                await bot.send_message(ALICE, "ok")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(ALICE, "one too many")
        finally:
            await bot.shutdown()
    assert retry_seconds(caught.value) == 1
    assert len(api.sent) == 3


async def test_group_limit_with_fake_clock(tmp_path: Path) -> None:
    now = [0.0]
    async with BotApiDouble(files_dir=tmp_path, enforce_limits=True, clock=lambda: now[0]) as api:
        api.add_group_chat(GROUP)
        bot = await make_bot(api)
        try:
            for _ in range(20):
                now[0] += 0.5
                await bot.send_message(GROUP, "ok")
            with pytest.raises(RetryAfter):
                await bot.send_message(GROUP, "21st within a minute")
            now[0] += 60
            await bot.send_message(GROUP, "a minute later")
        finally:
            await bot.shutdown()
    assert len(api.sent) == 21


async def test_send_document_saves_file(api: BotApiDouble, tg: Bot) -> None:
    sent = await tg.send_document(ALICE, b"name,org\n", filename="roster.csv", caption="Roster")
    assert sent.document.file_name == "roster.csv" and sent.caption == "Roster"
    event = api.sent[-1]
    assert saved_bytes(event.files[0]) == b"name,org\n"
    assert Path(event.files[0]).name == f"{event.seq}-roster.csv"
    again = await tg.send_document(BOB, sent.document.file_id)
    assert again.document.file_id == sent.document.file_id
    file = await tg.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"name,org\n"


async def test_send_photo(api: BotApiDouble, tg: Bot) -> None:
    sent = await tg.send_photo(ALICE, tiny_png(3, 2), caption="pic")
    assert (sent.photo[-1].width, sent.photo[-1].height) == (3, 2)
    assert saved_bytes(api.sent[-1].files[0]) == tiny_png(3, 2)
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await tg.send_photo(ALICE, b"not an image")


async def test_message_update_parses_in_ptb(api: BotApiDouble, tg: Bot) -> None:
    data = api.make_message_update(ALICE, "/start abc")
    update = Update.de_json(data, tg)
    assert update.message.text == "/start abc"
    assert update.effective_user.language_code == "ko"
    assert update.effective_user.username == "alice"
    entity = update.message.entities[0]
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 6)
    second = api.make_message_update(ALICE, f"/help@{api.bot_username}", reply_to_message_id=1)
    assert second["update_id"] == data["update_id"] + 1
    assert second["message"]["entities"][0]["length"] == len(f"/help@{api.bot_username}")
    assert Update.de_json(second, tg).message.reply_to_message.text == "/start abc"
    group = Update.de_json(api.make_message_update(BOB, "hi all", chat_id=GROUP), tg)
    assert group.effective_chat.type == "supergroup" and group.message.entities == ()


async def test_callback_update_and_answer(api: BotApiDouble, tg: Bot) -> None:
    sent = await tg.send_message(ALICE, "Q?", reply_markup=keyboard(("Yes", "q:y")))
    update = Update.de_json(api.make_button_update(ALICE, "yes"), tg)
    query = update.callback_query
    assert query.data == "q:y" and query.message.message_id == sent.message_id
    with pytest.raises(BadRequest):
        await query.answer("x" * 201)
    assert await query.answer("Thanks")
    assert api.callback_answers[-1]["text"] == "Thanks"
    with pytest.raises(KeyError):
        api.make_callback_update(ALICE, 999, "q:y")


async def test_state_persists_across_processes(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    first = BotApiDouble(state_path=state, files_dir=tmp_path / "files")
    first.add_private_chat(ALICE, "Alice")
    async with first:
        bot = await make_bot(first)
        await bot.send_message(ALICE, "Choose", reply_markup=keyboard(("Go", "go")))
        await bot.shutdown()
    last_update = first.make_message_update(ALICE, "hello")["update_id"]
    assert json.loads(state.read_text())["chats"]

    second = BotApiDouble(state_path=state, files_dir=tmp_path / "files")
    assert second.seq == first.seq == 1
    async with second:
        assert second.find_button(ALICE, "Go") == (1, "go")
        bot = await make_bot(second)
        sent = await bot.send_message(ALICE, "Next")
        await bot.shutdown()
    assert sent.message_id == 3  # 1 = bot's "Choose", 2 = Alice's "hello"
    assert second.make_message_update(ALICE, "again")["update_id"] == last_update + 1


async def test_get_updates_offset_and_long_poll(api: BotApiDouble, tg: Bot) -> None:
    first = api.make_message_update(ALICE, "one")
    second = api.make_message_update(ALICE, "two")
    api.push_update(first)
    api.push_update(second)
    updates = await tg.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [first["update_id"], second["update_id"]]
    updates = await tg.get_updates(offset=second["update_id"], timeout=0)
    assert [u.message.text for u in updates] == ["two"]
    assert await tg.get_updates(offset=second["update_id"] + 1, timeout=0) == ()

    poll = asyncio.create_task(tg.get_updates(offset=second["update_id"] + 1, timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    api.push_update(api.make_message_update(ALICE, "three"))
    updates = await asyncio.wait_for(poll, 2)
    assert [u.message.text for u in updates] == ["three"]


async def test_wrong_token_is_rejected(api: BotApiDouble) -> None:
    bot = Bot("999:WRONG", base_url=api.base_url, base_file_url=api.base_file_url)
    with pytest.raises(InvalidToken):
        await bot.initialize()
    await bot.shutdown()


async def test_unknown_method_and_json_body(api: BotApiDouble) -> None:
    async with httpx.AsyncClient(base_url=api.base_url + api.token) as client:
        missing = await client.post("/noSuchMethod")
        assert missing.status_code == 404
        assert missing.json()["description"] == "Not Found: method not found"
        ok = await client.post("/sendMessage", json={"chat_id": str(ALICE), "text": "123"})
        assert ok.json()["result"]["text"] == "123"
        markup = json.dumps({"inline_keyboard": [[{"text": "J", "callback_data": "j"}]]})
        ok = await client.post(
            "/sendMessage", json={"chat_id": ALICE, "text": "json", "reply_markup": markup}
        )
        assert ok.json()["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "J"
        got = await client.get("/getChat", params={"chat_id": GROUP})
        assert got.json()["result"]["title"] == "Liaisons"


async def test_injected_faults(api: BotApiDouble, tg: Bot) -> None:
    api.inject_fault(method="sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter):
        await tg.send_message(ALICE, "x")
    api.inject_fault(method="sendMessage", chat_id=BOB, status=500, count=2)
    await tg.send_message(ALICE, "not affected")
    for _ in range(2):
        with pytest.raises(NetworkError):
            await tg.send_message(BOB, "x")
    await tg.send_message(BOB, "recovered")
    api.inject_fault(status=0, delay=0.05)
    with pytest.raises(NetworkError):
        await tg.send_message(ALICE, "x")
    api.inject_fault(status=403)
    api.clear_faults()
    await tg.send_message(ALICE, "fine")
    assert [e.text for e in api.sent] == ["not affected", "recovered", "fine"]
    assert api.counters["429"] == 1 and api.counters["500"] == 2 and api.counters["504"] == 1


async def test_commands_copy_forward_delete(api: BotApiDouble, tg: Bot) -> None:
    await tg.set_my_commands([("start", "Start"), ("help", "Help")], language_code="ko")
    assert [c.command for c in await tg.get_my_commands(language_code="ko")] == ["start", "help"]
    assert await tg.get_my_commands() == ()
    with pytest.raises(BadRequest):
        await tg.set_my_commands([("Bad-Command", "x")])
    original = await tg.send_message(ALICE, "share me")
    copied = await tg.copy_message(GROUP, ALICE, original.message_id)
    forwarded = await tg.forward_message(BOB, ALICE, original.message_id)
    assert forwarded.text == "share me" and forwarded.forward_origin.sender_user.id == tg.id
    assert api.messages(GROUP)[-1]["message_id"] == copied.message_id
    assert await tg.delete_message(ALICE, original.message_id)
    with pytest.raises(BadRequest, match=r"(?i)not found"):
        await tg.delete_message(ALICE, original.message_id)
    member = await tg.get_chat_member(GROUP, ALICE)
    assert member.status == "member" and member.user.first_name == "Alice"


async def test_stop_releases_long_poll_and_hangs(tmp_path: Path) -> None:
    api = BotApiDouble(files_dir=tmp_path)
    api.add_private_chat(ALICE)
    await api.start()
    bot = await make_bot(api)
    try:
        api.inject_fault(method="sendMessage", status=0, delay=30)
        hang = asyncio.create_task(bot.send_message(ALICE, "stuck", read_timeout=60))
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await asyncio.sleep(0.2)
        await asyncio.wait_for(api.stop(), 2)
        assert await asyncio.wait_for(poll, 2) == ()
        with pytest.raises(NetworkError):
            await asyncio.wait_for(hang, 2)
    finally:
        await bot.shutdown()
