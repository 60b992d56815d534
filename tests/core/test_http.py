"""The Bot API client over aiohttp: what PTB expects of a request, failures as PTB's errors."""

from __future__ import annotations

import asyncio
import socket

import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.app import FAKE_TOKEN
from bot.core.http import AiohttpRequest

USER = 4711


async def test_uploads_keep_the_file_name_and_text_in_any_script(conv):
    conv.user(USER, "Jiwoo", "ko")
    sent = await conv.app.bot.send_document(
        USER, document=b"PK\x03\x04 demo", filename="신청서 명단 №1.xlsx", caption="결정 ✅ «ok»"
    )
    assert sent.document.file_name == "신청서 명단 №1.xlsx"
    assert sent.caption == "결정 ✅ «ok»"
    text = "Привет, 你好, ¿qué tal? & = + %20 " + "x" * 3000
    message = await conv.app.bot.send_message(USER, text)
    assert message.text == text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_a_refused_connection_is_a_network_error():
    request = AiohttpRequest(connect_timeout=2)
    bot = Bot(FAKE_TOKEN, base_url=f"http://127.0.0.1:{_free_port()}/bot", request=request)
    await request.initialize()
    try:
        with pytest.raises(NetworkError):
            await bot.send_message(1, "hello")
    finally:
        await request.shutdown()


async def test_a_silent_server_times_out():
    async def never_answer(reader, writer):
        await asyncio.sleep(30)

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    request = AiohttpRequest(read_timeout=0.3)
    await request.initialize()
    bot = Bot(FAKE_TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=request)
    try:
        with pytest.raises(TimedOut):
            await bot.send_message(1, "hello")
    finally:
        await request.shutdown()
        server.close()


async def test_not_initialised_or_shut_down_refuses():
    request = AiohttpRequest()
    with pytest.raises(RuntimeError):
        await request.do_request("http://127.0.0.1:1/x", "POST")
    await request.initialize()
    await request.shutdown()
    await request.shutdown()  # twice is harmless
    with pytest.raises(RuntimeError):
        await request.do_request("http://127.0.0.1:1/x", "POST")
