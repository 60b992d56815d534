"""Webhook mode: uvicorn serving bot.web.app beside the Application, with a graceful stop.

On SIGTERM/SIGINT: uvicorn stops accepting and answers the requests in flight, then the
Application dispatches what is already queued, the features' stop callbacks release what
they claimed, and the process exits 0. The webhook stays registered with Telegram, which
keeps updates until an instance answers again (a rolling restart loses nothing).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import socket
import sys
from collections.abc import Iterator

import uvicorn
from telegram import Update
from telegram.ext import Application

from bot import db
from bot.app import build_application
from bot.config import Settings
from bot.runner import running, stop_on_signals
from bot.web.app import create_app

log = logging.getLogger(__name__)

# What Telegram accepts as secret_token: 1–256 characters A-Z, a-z, 0-9, _ and -.
SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")
GRACE_SECONDS = 10  # in-flight requests get this long after a stop signal


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: we set the stop event ourselves.

    uvicorn re-raises a captured SIGTERM after serving, which would turn a graceful stop into
    exit status 143 and skip the Application's shutdown.
    """

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start listening, then tell serve_webhook it may register the webhook."""
        await super().startup(sockets)
        self.ready.set()


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0 picks a free one); OSError if taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def config_problem(settings: Settings) -> str | None:
    """What keeps webhook mode from starting, in one line (None when ready)."""
    if not settings.webhook_url:
        return "WEBHOOK_URL is not set: the public https URL Telegram should post updates to."
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not secret:
        return "WEBHOOK_SECRET is required in webhook mode (e.g. `openssl rand -hex 32`)."
    if not SECRET_FORMAT.fullmatch(secret):
        return "WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -."
    return None


async def serve_webhook(
    application: Application, settings: Settings, stop: asyncio.Event, sock: socket.socket
) -> None:
    """Serve on `sock` until `stop` is set, with the Application running and the webhook set."""
    config = uvicorn.Config(
        create_app(application, settings),
        log_config=None,  # our handlers (JSON, redaction) format uvicorn's records too
        access_log=False,  # one line per update would drown the log; /metrics counts them
        lifespan="off",
        timeout_graceful_shutdown=GRACE_SECONDS,
    )
    server = _Server(config)
    async with running(application):
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        waiting = asyncio.create_task(stop.wait())
        ready = asyncio.create_task(server.ready.wait())
        try:
            await asyncio.wait({serving, ready}, return_when=asyncio.FIRST_COMPLETED)
            if serving.done() or not server.started:
                await serving  # startup failed: raise its error
                return
            assert settings.webhook_url and settings.webhook_secret
            await application.bot.set_webhook(
                settings.webhook_url,
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=Update.ALL_TYPES,
            )
            host, port = sock.getsockname()[:2]
            log.info("webhook: serving on %s:%s for @%s", host, port, application.bot.username)
            await asyncio.wait({serving, waiting}, return_when=asyncio.FIRST_COMPLETED)
            log.info("webhook: stopping; finishing requests and queued updates")
        finally:
            server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError):
                await serving
            waiting.cancel()
            ready.cancel()


async def run_webhook(settings: Settings) -> int:
    """`python -m bot run --webhook`: serve until SIGTERM/SIGINT; the exit status."""
    problem = config_problem(settings)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        sock = bind(settings.webhook_listen, settings.webhook_port)
    except OSError as exc:
        print(
            f"Cannot listen on {settings.webhook_listen}:{settings.webhook_port}: {exc}",
            file=sys.stderr,
        )
        return 1
    db.init_db(settings.db_url)
    application = build_application(settings)
    stop = asyncio.Event()
    stop_on_signals(stop)
    try:
        await serve_webhook(application, settings, stop, sock)
    finally:
        sock.close()
    return 0
