"""One bot instance for the fault tests: the real Application, as `python -m bot run` builds it.

Configured by the environment like the bot (DATABASE_URL, TELEGRAM_BASE_URL, SEND_BUDGET …)
plus FAULT_POLL=0 to leave polling to another instance, FAULT_TICK (seconds) to run the
outbox and broadcast jobs often and FAULT_LEASE (seconds) to shorten claim leases. Adds one
outbox kind, "probe", that sends payload["text"], so the tests need no feature's data.
Stops cleanly on SIGTERM (running the on_stop hooks).

    python tests/faults/worker.py
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from telegram import Update

from bot import db
from bot.app import build_application
from bot.config import Settings
from bot.core import outbox_dispatch, outbox_job
from bot.core.outbox_dispatch import Sender
from bot.features.broadcasts import engine, engine_store
from tests.faults.helpers import PROBE, send_probe


async def main() -> None:
    """Run until SIGTERM/SIGINT, then stop like bot.runner.run_polling."""
    settings = Settings(_env_file=None)
    tick = float(os.environ.get("FAULT_TICK", "0") or 0)
    if tick:
        outbox_job.INTERVAL_SECONDS = engine.RESUME_SECONDS = tick
        outbox_job.FIRST_SECONDS = engine.RESUME_FIRST = min(tick, 1.0)
    lease = float(os.environ.get("FAULT_LEASE", "0") or 0)
    if lease:
        # Leases short enough that a test sees a killed process's rows taken over.
        outbox_dispatch.CLAIM_SECONDS = engine_store.LEASE_SECONDS = lease
    db.init_db(settings.db_url)
    app = build_application(settings)
    outbox_job.add_sender(app, PROBE, Sender(send_probe))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with app:
        await app.start()
        if os.environ.get("FAULT_POLL", "1") != "0":
            assert app.updater is not None
            await app.updater.start_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.1)
        print("ready", flush=True)
        await stop.wait()
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        await app.stop()
        if app.post_stop:
            await app.post_stop(app)
    await db.dispose_db()


if __name__ == "__main__":
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO"),
        format="%(asctime)s %(process)d %(name)s %(levelname)s %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    asyncio.run(main())
