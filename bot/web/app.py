"""The webhook's ASGI app: POST <path> for Telegram's updates, /healthz and /metrics.

Telegram retries an update until it gets a 2xx answer, so the endpoint only checks, decodes
and queues (the Application's own update fetcher dispatches) and answers at once; a broken
body gets a 4xx it will not be asked about again, never a 5xx.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot import db
from bot.config import Settings
from bot.core import metrics
from bot.web.collectors import ApplicationCollector, StateSnapshot
from bot.web.validate import update_problem

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram"
MAX_BODY = 1 << 20  # Telegram's updates are a few KiB; 1 MiB leaves room for any of them
HEALTH_TIMEOUT = 2.0  # seconds the database gets to answer SELECT 1


def webhook_path(url: str | None) -> str:
    """The path Telegram posts to: the WEBHOOK_URL's path, `/telegram` when it has none."""
    path = urlsplit(url).path if url else ""
    return path.rstrip("/") or DEFAULT_PATH


async def _read_limited(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it is longer than `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _secret_ok(given: str | None, expected: bytes) -> bool:
    if given is None:
        return False
    # Starlette decodes header bytes as latin-1; compare bytes in constant time.
    return hmac.compare_digest(given.encode("latin-1"), expected)


async def _ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


def create_app(
    application: Application,
    settings: Settings,
    *,
    engine: Callable[[], AsyncEngine] = db.get_engine,
    body_limit: int = MAX_BODY,
) -> Starlette:
    """The Starlette app serving `application` (which must be started to dispatch updates)."""
    if settings.webhook_secret is None or not settings.webhook_secret.get_secret_value():
        raise ValueError("WEBHOOK_SECRET is required in webhook mode")
    expected = settings.webhook_secret.get_secret_value().encode()
    counters = metrics.get(application)
    snapshot = StateSnapshot(engine)
    counters.registry.register(ApplicationCollector(application, snapshot))

    def refuse(outcome: str, status: int, reason: str) -> JSONResponse:
        counters.webhook_requests.labels(outcome).inc()
        return JSONResponse({"ok": False, "error": reason}, status_code=status)

    async def telegram(request: Request) -> Response:
        if not _secret_ok(request.headers.get(SECRET_HEADER), expected):
            # Never log the header's value: a near-miss would leak most of the secret.
            log.warning(
                "webhook: refused a request with a %s secret token from %s",
                "missing" if SECRET_HEADER not in request.headers else "wrong",
                request.client.host if request.client else "?",
            )
            return refuse("forbidden", 403, "forbidden")
        body = await _read_limited(request, body_limit)
        if body is None:
            return refuse("too_large", 413, "body too large")
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return refuse("malformed", 400, "body is not JSON")
        problem = update_problem(data)
        if problem is not None:
            log.info("webhook: refused a body that is not an update: %s", problem)
            return refuse("malformed", 400, "not an update")
        try:
            update = Update.de_json(data, application.bot)
        except Exception as exc:  # PTB could not build it: refuse, never fail
            log.warning("webhook: update %s undecodable: %s", data["update_id"], exc.__class__)
            return refuse("undecodable", 400, "undecodable update")
        if not application.running:
            # Shutting down: Telegram will deliver it again to the next instance.
            return refuse("unavailable", 503, "shutting down")
        await application.update_queue.put(update)
        counters.webhook_requests.labels("accepted").inc()
        return Response(status_code=200)

    async def healthz(request: Request) -> JSONResponse:
        body: dict[str, object] = {
            "dispatcher": "running" if application.running else "stopped",
            "update_queue": application.update_queue.qsize(),
        }
        try:
            await asyncio.wait_for(_ping(engine()), HEALTH_TIMEOUT)
            body["database"] = "ok"
        except Exception as exc:  # any failure, timeout included, means "not healthy"
            body["database"] = f"unreachable ({type(exc).__name__})"
        healthy = body["database"] == "ok" and application.running
        body["status"] = "ok" if healthy else "unavailable"
        return JSONResponse(body, status_code=200 if healthy else 503)

    async def metrics_page(request: Request) -> Response:
        await snapshot.refresh()
        return Response(generate_latest(counters.registry), media_type=CONTENT_TYPE_LATEST)

    routes = [
        Route(webhook_path(settings.webhook_url), telegram, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ]
    return Starlette(routes=routes)
