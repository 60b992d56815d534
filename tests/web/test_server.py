"""A real uvicorn server on a free port: the webhook is registered, updates are answered,
and a stop signal shuts everything down cleanly (stop callbacks run, exit status 0)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import httpx
from pydantic import SecretStr

from bot.core import lifecycle
from bot.dev.botapi import BotApiDouble
from bot.dev.harness import conversation
from bot.web.app import SECRET_HEADER
from bot.web.server import bind, config_problem, run_webhook, serve_webhook
from tests.conftest import PLACES_INDEX
from tests.web.conftest import HOOK_PATH, HOOK_URL, SECRET, TOKEN, webhook_settings


async def test_uvicorn_serves_updates_and_stops_gracefully(settings, tmp_path):
    """set_webhook with the secret, an update answered over real HTTP, then a clean stop."""
    cfg = webhook_settings(settings)
    stopped: list[str] = []
    async with (
        BotApiDouble(TOKEN, files_dir=tmp_path / "f") as double,
        conversation(cfg, double=double) as conv,
    ):

        async def released(app) -> None:
            stopped.append("released")

        lifecycle.on_stop(conv.app, released)
        conv.user(4242, "Lucía", "es")
        sock = bind("127.0.0.1", 0)
        port = sock.getsockname()[1]
        stop = asyncio.Event()
        # `conversation` initialised the app; serve_webhook runs the whole lifecycle itself.
        await conv.app.shutdown()
        task = asyncio.create_task(serve_webhook(conv.app, cfg, stop, sock))
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            for _ in range(100):
                if double.state.webhook.get("url"):
                    break
                await asyncio.sleep(0.05)
            assert double.state.webhook["url"] == HOOK_URL
            assert double.state.webhook["secret_token"] == SECRET
            health = await client.get("/healthz")
            assert health.status_code == 200, health.text
            update = double.make_message_update(4242, "/start")
            response = await client.post(HOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})
            assert response.status_code == 200
            forged = await client.post(HOOK_PATH, json=update, headers={SECRET_HEADER: "nope"})
            assert forged.status_code == 403
            for _ in range(200):
                if any(e.chat_id == 4242 for e in double.sent):
                    break
                await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(task, 20)
        await conv.app.initialize()  # so conversation's own shutdown has something to close
    [reply] = [e for e in double.sent if e.chat_id == 4242]
    assert reply.text.startswith("¡Hola, Lucía!")
    assert stopped == ["released"]
    assert not conv.app.running


async def test_webhook_mode_needs_url_and_a_valid_secret(settings):
    """Misconfiguration is one clear line and exit status 2, before anything starts."""
    assert "WEBHOOK_URL" in config_problem(settings)
    no_secret = settings.model_copy(update={"webhook_url": HOOK_URL})
    assert "WEBHOOK_SECRET" in config_problem(no_secret)
    bad = no_secret.model_copy(update={"webhook_secret": SecretStr("has spaces!")})
    assert "A-Z" in config_problem(bad)
    assert await run_webhook(bad) == 2
    assert config_problem(webhook_settings(settings)) is None


async def test_sigterm_stops_the_process_with_status_0(empty_url, tmp_path):
    """`python -m bot run --webhook --migrate` as a process: healthy, then SIGTERM → exit 0."""
    async with BotApiDouble(TOKEN, files_dir=tmp_path / "f") as double:
        sock = bind("127.0.0.1", 0)
        port = sock.getsockname()[1]
        sock.close()
        env = {
            **os.environ,
            "DATABASE_URL": empty_url,
            "DATA_DIR": str(tmp_path / "data"),
            "PLACES_INDEX": str(PLACES_INDEX),  # built once for all tests, not per process
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": double.base_url,
            "WEBHOOK_URL": HOOK_URL,
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "LOG_FORMAT": "json",
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--migrate",
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            healthy = False
            async with httpx.AsyncClient(timeout=5) as client:
                for _ in range(600):
                    if proc.returncode is not None:
                        break
                    try:
                        health = await client.get(f"http://127.0.0.1:{port}/healthz")
                        healthy = health.status_code == 200
                    except httpx.TransportError:
                        pass
                    if healthy:
                        break
                    await asyncio.sleep(0.1)
            assert healthy, (await proc.stderr.read()).decode()
            assert double.state.webhook["url"] == HOOK_URL
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), 30)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    log = err.decode()
    assert proc.returncode == 0, log
    assert "webhook: stopping" in log
    assert TOKEN not in log and SECRET not in log
