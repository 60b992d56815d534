"""The broadcast engine: durable, paced, resumable delivery of a materialised broadcast.

`run_broadcast` claims deliveries in batches (engine_store), sends them with at most
`concurrency` requests in flight and writes the outcomes back in bulk. Pacing is not done
here: the Application's rate limiter (bot.core.ratelimit.FloodControl) holds every send of
the bot to one budget, so a broadcast never starves replies to users of their share nor
pushes the bot into a 429. `launch` runs one runner per broadcast per process in the
background; `resume_job` fires scheduled broadcasts and restarts interrupted ones.

Delivery is at least once: a crash between a send and the write of its outcome leaves the
row "sending"; after its lease it is sent again and counted in `possible_duplicates`. That
window is the queue plus the requests in flight plus the outcomes not yet written.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from dataclasses import dataclass, field

from telegram.error import TelegramError
from telegram.ext import Application

from bot.clock import utcnow
from bot.core import lifecycle
from bot.core.context import BotContext
from bot.features.broadcasts import engine_send as sending
from bot.features.broadcasts import engine_store as store
from bot.features.broadcasts.engine_store import Job, Outcome
from bot.features.broadcasts.service import materialise

log = logging.getLogger(__name__)

PROGRESS_SECONDS = 2.0
FLUSH_SECONDS = 0.25
IDLE_POLL_SECONDS = 1.0
RESUME_SECONDS = 15
RESUME_FIRST = 5
STOP_SECONDS = 10.0
_RUNS = itertools.count(1)


@dataclass(frozen=True)
class BroadcastReport:
    """How a run ended. Counts are the broadcast's totals; rate and duplicates this run's."""

    broadcast_id: int
    state: str
    sent: int
    failed: int
    blocked: int
    skipped: int
    remaining: int
    possible_duplicates: int
    elapsed: float
    rate: float  # deliveries this run completed per second
    timings: dict[str, float] = field(default_factory=dict)  # claim / record / send seconds


def runners(app: Application) -> dict[int, asyncio.Task]:
    """This process's running broadcast tasks by broadcast id."""
    return app.bot_data.broadcast_runners


class _Run:
    """One runner: a producer claiming batches, `concurrency` senders, a writer, progress."""

    def __init__(self, app: Application, plan: store.Plan, concurrency: int) -> None:
        self.app, self.plan, self.bot = app, plan, app.bot
        self.owner = store.token(plan.id, next(_RUNS))
        self.concurrency = max(1, concurrency)
        self.batch = self.concurrency * 2  # larger claims cost less; the in-flight window grows
        self.queue: asyncio.Queue[Job | None] = asyncio.Queue(maxsize=self.batch)
        self.outcomes: list[Outcome] = []
        self.unsent: list[int] = []  # claimed, then given back when stopping
        self.stopping = False
        self.duplicates = self.done = 0
        self.timings = {"claim": 0.0, "record": 0.0, "send": 0.0}
        self._write_lock = asyncio.Lock()
        self._was_running = app.running

    def _should_stop(self) -> bool:
        # Application.stop() waits for our task: a shutdown must not wait for a whole broadcast.
        if self.app.bot_data.broadcasts_stopping:
            return True
        return self._was_running and not self.app.running

    async def _sender(self) -> None:
        while (job := await self.queue.get()) is not None:
            try:
                if self.stopping:
                    self.unsent.append(job.id)
                    continue
                started = time.perf_counter()
                try:
                    message_id = await sending.deliver(self.bot, self.plan, job)
                except Exception as exc:  # every failure is judged and recorded on the row
                    outcome = sending.judge(job, exc, utcnow())
                    log.info("broadcast %s → %s: %s", self.plan.id, job.chat_id, outcome.state)
                else:
                    outcome = Outcome(job.id, job.person_id, "sent", job.attempts, message_id)
                self.timings["send"] += time.perf_counter() - started
                self.outcomes.append(outcome)
                self.done += 1
            finally:
                self.queue.task_done()
        self.queue.task_done()

    async def _write(self) -> None:
        async with self._write_lock:
            batch, self.outcomes = self.outcomes, []
            started = time.perf_counter()
            try:
                await store.record(self.owner, batch, utcnow())
            except BaseException:
                # Not written (a stop cancelled the writer mid-write, or the database failed):
                # keep the outcomes for the next write, else sent rows stay "sending" and go
                # out again after the lease. Recording twice is harmless (state = sending).
                self.outcomes = batch + self.outcomes
                raise
            self.timings["record"] += time.perf_counter() - started

    async def _writer(self) -> None:
        # Outcomes are written in bulk: one transaction per send would cap the paid rate.
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            await self._write()

    async def _progress(self) -> None:
        last = ""
        while True:
            await asyncio.sleep(PROGRESS_SECONDS)
            text = sending.progress_text(self.plan.sender_locale, await store.counts(self.plan.id))
            if text != last:
                await sending.show_progress(self.bot, self.plan, text, running=True)
                last = text

    async def _produce(self) -> None:
        while not self._should_stop():
            # Checked between batches: a cancel stops us within one batch.
            if await store.state_of(self.plan.id) != "sending":
                return
            started = time.perf_counter()
            jobs, reclaimed = await store.claim(self.plan.id, self.owner, utcnow(), self.batch)
            self.timings["claim"] += time.perf_counter() - started
            self.duplicates += reclaimed
            if jobs:
                for job in jobs:
                    await self.queue.put(job)
                continue
            await self.queue.join()
            await self._write()
            wake = await store.next_wakeup(self.plan.id)
            if wake is None:
                return  # every delivery is settled
            wait = (wake - utcnow()).total_seconds()
            await asyncio.sleep(min(max(wait, 0.05), IDLE_POLL_SECONDS))

    async def run(self) -> BroadcastReport:
        started = time.monotonic()
        tasks = [asyncio.create_task(self._sender()) for _ in range(self.concurrency)]
        helpers = [asyncio.create_task(self._writer()), asyncio.create_task(self._progress())]
        try:
            await self._produce()
            self.stopping = True
            await self.queue.join()
            for _ in tasks:
                await self.queue.put(None)
            await asyncio.gather(*tasks)
        finally:
            for task in (*tasks, *helpers):
                task.cancel()
            # A crash (cancellation) ends here: the rows we hold stay "sending" until
            # their lease expires, exactly as if the process had died.
            await asyncio.gather(*tasks, *helpers, return_exceptions=True)
        await self._write()
        await store.release(self.owner, self.unsent)
        elapsed = time.monotonic() - started
        state = await store.state_of(self.plan.id) or "gone"
        if not self._should_stop():
            state = await store.finish(self.plan.id, utcnow()) or state
        counts = await store.counts(self.plan.id)
        if state in ("done", "cancelled") and not self._should_stop():
            text = sending.final_text(self.plan.sender_locale, self.plan.id, state, counts)
            await sending.show_progress(self.bot, self.plan, text, running=False)
            await sending.report(self.bot, self.plan, text)
        sent_now = counts.get("sent", 0)
        return BroadcastReport(
            self.plan.id,
            state,
            sent_now,
            counts.get("failed", 0),
            counts.get("blocked", 0),
            counts.get("skipped", 0),
            counts["remaining"],
            self.duplicates,
            elapsed,
            self.done / elapsed if elapsed > 0 else 0.0,
            dict(self.timings),
        )


async def run_broadcast(
    app: Application, broadcast_id: int, *, concurrency: int = 32
) -> BroadcastReport:
    """Deliver every open delivery of a broadcast in state "sending"; returns the report."""
    plan = await store.load(broadcast_id)
    if plan is None:
        raise LookupError(f"broadcast {broadcast_id} does not exist")
    current = asyncio.current_task()
    mine = runners(app)
    if current is not None and broadcast_id not in mine:
        mine[broadcast_id] = current  # so resume_job does not start a second runner
    try:
        return await _Run(app, plan, concurrency).run()
    finally:
        if mine.get(broadcast_id) is current:
            del mine[broadcast_id]


async def launch(app: Application, broadcast_id: int) -> asyncio.Task:
    """Start delivering in the background and return at once; one runner per broadcast here.

    Returns the runner task (await it to wait for the report).
    """
    mine = runners(app)
    task = mine.get(broadcast_id)
    if task is not None and not task.done():
        return task
    coroutine = run_broadcast(app, broadcast_id)
    name = f"broadcast-{broadcast_id}"
    # Application.create_task tracks (and on stop awaits) tasks only while it is running.
    if app.running:
        task = app.create_task(coroutine, name=name)
    else:
        task = asyncio.create_task(coroutine, name=name)
    mine[broadcast_id] = task
    return task


async def resume(app: Application) -> list[int]:
    """One pass: fire due scheduled broadcasts, restart "sending" ones without a runner.

    Firing is exactly once across passes and processes: materialise() moves the broadcast
    from "scheduled" to "sending" with a conditional UPDATE, which only one caller wins.
    Returns the ids of the runners started.
    """
    for broadcast_id in await store.due_scheduled(utcnow()):
        if await materialise(broadcast_id):
            await _announce(app, broadcast_id)
    started = []
    mine = runners(app)
    for broadcast_id in await store.sending_ids():
        task = mine.get(broadcast_id)
        if task is None or task.done():
            await launch(app, broadcast_id)
            started.append(broadcast_id)
    return started


async def _announce(app: Application, broadcast_id: int) -> None:
    """A scheduled broadcast started by itself: give its sender a progress message."""
    plan = await store.load(broadcast_id)
    if plan is None or plan.sender_chat_id is None or plan.progress_message_id is not None:
        return
    counts = await store.counts(broadcast_id)
    text = sending.progress_text(plan.sender_locale, counts)
    markup = sending.stop_markup(plan.sender_locale, broadcast_id)
    with contextlib.suppress(TelegramError):
        message = await app.bot.send_message(plan.sender_chat_id, text, reply_markup=markup)
        await store.set_progress(broadcast_id, message.chat_id, message.message_id)


async def resume_job(context: BotContext) -> None:
    """The repeating job around `resume`."""
    try:
        await resume(context.application)
    except Exception:
        # A database hiccup must not kill the repeating job; the next run tries again.
        log.exception("broadcast resume failed")


async def stop_runners(app: Application) -> None:
    """On stop: runners hand their queued deliveries back, so another instance goes on now."""
    app.bot_data.broadcasts_stopping = True
    tasks = [task for task in runners(app).values() if not task.done()]
    if tasks:
        # Runners started outside Application.create_task are not awaited by stop().
        await asyncio.wait(tasks, timeout=STOP_SECONDS)


def register(app: Application) -> None:
    """Start the repeating resume job (the wizard's handlers.register calls this)."""
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            resume_job, interval=RESUME_SECONDS, first=RESUME_FIRST, name="broadcast-resume"
        )
    lifecycle.on_stop(app, stop_runners)


__all__ = ["BroadcastReport", "launch", "register", "resume", "resume_job", "run_broadcast"]
