"""Builds the python-telegram-bot Application and registers every feature in one place."""

from __future__ import annotations

import logging

from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot import clock
from bot.config import Settings
from bot.core import context as user_context
from bot.core import lifecycle, metrics, outbox_job, textrouter
from bot.core.botdata import BotData
from bot.core.context import BotContext
from bot.core.http import AiohttpRequest
from bot.core.menus import set_command_menus
from bot.core.ratelimit import for_settings
from bot.core.updates import PerChatProcessor
from bot.features import start
from bot.features.applications import handlers as applications
from bot.features.applications import review_handlers as review
from bot.features.audit import handlers as audit
from bot.features.broadcasts import handlers as broadcasts
from bot.features.exports import handlers as exports
from bot.features.followups import evaluation_handlers as evaluations
from bot.features.followups import handlers as followups
from bot.features.handoff import handlers as handoff
from bot.features.importer import handlers as importer
from bot.features.postcards import handlers as postcards
from bot.features.privacy import handlers as privacy
from bot.features.qa import handlers as qa
from bot.features.roles import handlers as roles
from bot.features.schedule import handlers as schedule
from bot.features.stats import handlers as stats

log = logging.getLogger(__name__)

FAKE_TOKEN = "123456:LOCAL-DOUBLE"


def register_features(app: Application) -> None:
    """Register features; the order is the order handlers are tried within group 0."""
    # 0. Metrics count every update and error (their own group, before anything else).
    metrics.register(app)
    # 1. Per-update context (group −1): sender, locale, roles — before anything else.
    user_context.register(app)
    # 2. Welcome, language, help and the error handler.
    start.register(app)
    # 3. Course catalogue: /courses, course cards, .ics files.
    schedule.register(app)
    # 3b. Applications: the trainee's form, /status; staff review and export.
    applications.register(app)
    review.register(app)
    # 3c. The follow-up loop: the postcard during the course, its return, the evaluation and
    #     survey flows, staff response tracking.
    postcards.register(app)
    evaluations.register(app)
    followups.register(app)
    # 3d. Roles (grant, revoke, invite links) and broadcasts by liaison officers and staff.
    roles.register(app)
    broadcasts.register(app)
    # 3e. Staff console: yearly statistics and charts, spreadsheet import and the workbook
    #     export, the audit log; everyone's privacy rights (/mydata, /forget, retention).
    stats.register(app)
    importer.register(app)
    exports.register(app)
    audit.register(app)
    privacy.register(app)
    # 4. Handoff to a person: liaison chat relay (before QA, so replies in the liaison chat
    #    are relays, not questions).
    handoff.register(app)
    # 5. Free-text questions: any text that is not a command.
    qa.register(app)
    # 6. Private free text goes to the consumers features registered above (a waiting
    #    /contact request first, the question answering last); /cancel likewise.
    textrouter.register(app)
    # 7. One repeating job delivers every outbox kind the features declared senders for.
    outbox_job.register(app)
    # 8. Catch-alls last, so they only see what no feature accepted.
    start.register_fallbacks(app)


def build_application(
    settings: Settings,
    *,
    base_url: str | None = None,
    base_file_url: str | None = None,
    set_menus: bool = True,
    flood_control: bool = True,
) -> Application:
    """The Application `run`, `chat`, `demo` and the tests share.

    `flood_control=False` leaves out the rate limiter: only for tests that are not about
    pacing, against a Bot API double that enforces no limits (Telegram would answer 429).
    """
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
    builder = (
        ApplicationBuilder()
        .token(token or FAKE_TOKEN)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .post_stop(lifecycle.run_stop_callbacks)  # features release what they hold
        # Chats are served concurrently, each chat's updates in order (bot/core/updates.py).
        .concurrent_updates(PerChatProcessor())
        # aiohttp instead of httpx: cheaper per request with many connections (core/http.py).
        .request(AiohttpRequest())
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
    )
    if flood_control:
        builder = builder.rate_limiter(for_settings(settings, max_retries=3))  # one budget
    url = base_url or settings.telegram_base_url
    if url:
        builder = builder.base_url(url)
    if base_file_url:
        builder = builder.base_file_url(base_file_url)
    if set_menus:
        builder = builder.post_init(set_command_menus)
    app = builder.build()
    app.bot_data.settings = settings
    clock.set_zone(settings.timezone)
    register_features(app)
    return app
