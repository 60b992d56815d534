"""Telegram handlers of the applications feature (trainee side): Apply, the form, /status."""

from __future__ import annotations

from telegram import CallbackQuery, Chat, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.clock import local_today, utcnow
from bot.core.callbacks import Press, on_press, stale
from bot.core.context import BotContext
from bot.core.forms import engine, routing
from bot.core.forms.spec import Answer
from bot.core.forms.steps import Step
from bot.core.registry import (
    CommandInfo,
    MenuItem,
    add_card_button,
    add_command,
    add_menu_item,
    add_start_payload,
)
from bot.features.applications import form, rules, service
from bot.features.applications import form_text as texts
from bot.features.applications import keyboards as kb
from bot.features.applications import status_handlers as status
from bot.features.applications.answering import FORM, Env
from bot.features.applications.fit import audience_line, audience_note
from bot.features.applications.labels import status_label
from bot.features.applications.views import AppView
from bot.features.places import default_index
from bot.i18n import N_, _, pick


def _today(context: BotContext):
    return local_today(utcnow(), context.settings.timezone)


def _question(
    app: AppView, key: str, choices: tuple[str, ...] = (), labels: dict | None = None
) -> tuple[str, object]:
    """The text and buttons asking `key` (country or city candidates when `choices` is given,
    the likely address when an e-mail domain looks mistyped)."""
    number, count = form.position(key, app.answers)
    head = f"{number}/{count}. "
    offer = app.answers.get("email_offer") if key == "email" else None
    if offer:
        choices, labels = ("use", "keep"), texts.email_offer_labels(offer)
        text = texts.email_offer(offer)
    elif choices and key == "city":
        text = _(
            "Which of these cities do you mean? If none, write the name again with the "
            "country, e.g. “Valencia, Spain”."
        )
    elif choices:
        text = _("Which of these countries do you mean?")
    else:
        text = texts.prompt(key, app.answers)
    markup = kb.choice_keyboard(app.id, key, choices or form.BY_KEY[key].choices, labels)
    return head + text, markup


def summary_text(app: AppView) -> str:
    """Every answer, for checking before submitting."""
    lines = [_("Please check your application to “{course}”:").format(course=app.title()), ""]
    for key in form.steps(app.answers):
        if key != "consent":
            lines.append(f"• {form.label(key)}: {texts.shown(key, app.answers)}")
    lines += [
        "",
        _("To change an answer, press its button. When everything is right, press “✅ Submit”."),
    ]
    return "\n".join(lines)


async def ask(
    chat: Chat, app: AppView, choices: tuple[str, ...] = (), labels: dict | None = None
) -> None:
    """Send what the draft waits for: the current question, or the summary."""
    at = app.at or Step(form.FIELDS[0].key)
    if at.at_summary:
        markup = kb.summary_keyboard(app.id, form.editable(app.answers))
        note = await audience_note(app)
        text = f"{note}\n\n{summary_text(app)}" if note else summary_text(app)
        await chat.send_message(text, reply_markup=markup)
        return
    text, markup = _question(app, at.key, choices, labels)
    await chat.send_message(text, reply_markup=markup)


def _refusal(outcome: str, title: str, app: AppView | None) -> str:
    if outcome == "unknown":
        return _(
            "I could not find this course. Send /apply to see the courses open for applications."
        )
    if outcome == "closed":
        return _("“{course}” is not taking applications.").format(course=title)
    if outcome == "past":
        return _("The application period for “{course}” has ended.").format(course=title)
    if outcome == "no_dates":
        return _(
            "The dates of “{course}” are not set yet, so it is not taking applications. "
            "Please check again later."
        ).format(course=title)
    if outcome == "applied" and app is not None:
        return _(
            "You have already applied to “{course}”. Status: {status}. "
            "Send /status to see your applications."
        ).format(course=title, status=status_label(app.status))
    return _(
        "All seats of “{course}” are taken. You can still apply to its waitlist: if a seat "
        "becomes free, the team will offer it to people on the waitlist."
    ).format(course=title)


async def begin(chat: Chat, context: BotContext, code: str, *, waitlist: bool = False) -> None:
    """Start or resume an application to a course, or say clearly why not."""
    assert context.user is not None
    result = await service.begin(context.user.person_id, code, _today(context), waitlist=waitlist)
    title = pick(result.title or {})
    if result.outcome not in ("started", "resumed"):
        markup = kb.waitlist_keyboard(code) if result.outcome == "full" else None
        await chat.send_message(_refusal(result.outcome, title, result.app), reply_markup=markup)
        return
    assert result.app is not None
    if result.outcome == "started":
        intro = _(
            "Application to “{course}”. I will ask you a few short questions, one at a time. "
            "Every answer is saved: you can stop with /cancel and continue later with /apply."
        )
    else:
        intro = _("Let us continue your application to “{course}”.")
    intro = intro.format(course=title)
    if result.outcome == "started" and (line := await audience_line(result.app)):
        # Said first, so nobody answers eleven questions before learning whom it is for.
        intro = f"{intro}\n\n{line}"
    await chat.send_message(intro)
    await ask(chat, result.app)


async def apply_command(update: Update, context: BotContext) -> None:
    """/apply: continue a draft if there is one, else list the courses open for applications."""
    chat, user = update.effective_chat, context.user
    assert chat is not None and user is not None
    if update.callback_query:
        await update.callback_query.answer()
    drafts = await service.drafts(user.person_id)
    if drafts:
        await begin(chat, context, drafts[0].course_code)
        return
    courses = await service.open_courses(_today(context))
    if not courses:
        await chat.send_message(_("No course is taking applications at the moment."))
        return
    await chat.send_message(
        _("These courses are taking applications. Choose one:"),
        reply_markup=kb.courses_keyboard(courses),
    )


async def deep_link(update: Update, context: BotContext, payload: str) -> None:
    """/start apply-<course code>."""
    assert update.effective_chat is not None
    await begin(update.effective_chat, context, payload.removeprefix("apply-"))


def _env(context: BotContext) -> Env:
    assert context.user is not None
    return Env(context.user.locale, default_index(context.settings.places_path))


async def _asked(chat: Chat, answer: Answer, env: Env) -> None:
    choices, labels = answer.offer or ((), None)
    await ask(chat, answer.view, choices, labels)


def _stopped(_refs: tuple) -> tuple[str, None]:
    """/cancel: the draft and its answers are kept."""
    return _("Stopped. Your answers are saved; send /apply to continue your application."), None


UI = routing.Ui(
    FORM, _asked, _stopped, env=_env, problem=lambda problem, env: form.problem_text(problem)
)


async def _choice(query: CallbackQuery, chat: Chat, context: BotContext, press: Press) -> None:
    assert context.user is not None
    app = await engine.answer_press(
        FORM, context.user.person_id, press.app, Step(press.field), press.value, _env(context)
    )
    if app is None:
        await stale(query)
        return
    await routing.close(query)
    if app.answers.get("consent") is False and press.field == "consent":
        await chat.send_message(
            _(
                "Understood. Your application has not been submitted; your answers are kept. "
                "If you change your mind, send /apply to continue."
            )
        )
        return
    await ask(chat, app)


async def _submit(query: CallbackQuery, chat: Chat, context: BotContext, app_id: int) -> None:
    assert context.user is not None
    result = await service.submit(context.user.person_id, app_id, _today(context))
    if result is None:
        await stale(query)
        return
    if result.outcome == "already":
        await query.answer(_("This application has already been submitted."), show_alert=True)
        return
    await query.answer()
    title = result.app.title()
    if result.outcome == "incomplete":
        await ask(
            chat,
            await engine.start_edit(FORM, context.user.person_id, app_id, result.missing[0])
            or result.app,
        )
        return
    await query.edit_message_reply_markup(reply_markup=None)
    if result.outcome == "submitted":
        text = _(
            "Thank you! Your application to “{course}” has been submitted. The team will review "
            "it and tell you the decision here. Send /status to see it at any time."
        )
    elif result.outcome == "waitlisted":
        text = _(
            "Thank you! Your application to “{course}” is on the waitlist. If a seat becomes "
            "free, we will write to you here. Send /status to see it at any time."
        )
    else:
        text = _("“{course}” is no longer taking applications. Your answers are kept.")
    await chat.send_message(text.format(course=title))


@on_press(kb.CB)
async def button(update: Update, context: BotContext, press: Press) -> None:
    """Every `ap:` button, decoded once: the services check ownership, then render."""
    query, user, chat = update.callback_query, context.user, update.effective_chat
    assert query is not None and user is not None and chat is not None
    if press.action in ("new", "wl"):
        await query.answer()
        await begin(chat, context, press.code, waitlist=press.action == "wl")
        return
    if press.action == "wdn":
        await query.answer()
        await query.edit_message_reply_markup(reply_markup=None)
        return
    if press.action == "ch":
        await _choice(query, chat, context, press)
        return
    if press.action == "sub":
        await _submit(query, chat, context, press.app)
        return
    if press.action in ("res", "edit"):
        if press.action == "res":
            app = await engine.resume(FORM, user.person_id, press.app)
        else:
            app = await engine.start_edit(FORM, user.person_id, press.app, press.field)
        if app is None:
            await stale(query)
            return
        await query.answer()
        await ask(chat, app)
        return
    await status.withdraw_press(query, chat, context, press.action, press.app)


def register(app: Application) -> None:
    """Install this feature's handlers."""
    timezone = app.bot_data.settings.timezone

    def card_button(course):
        today = local_today(utcnow(), timezone)
        return kb.apply_button(course) if rules.course_window(course, today) == "open" else None

    add_card_button(app, card_button)
    add_start_payload(app, "apply", deep_link)
    app.add_handler(CommandHandler("apply", apply_command))
    app.add_handler(CommandHandler("status", status.status_command))
    app.add_handler(CallbackQueryHandler(apply_command, pattern=r"^menu:apply$"))
    app.add_handler(CallbackQueryHandler(button, pattern=kb.CB.pattern))
    # A draft waiting for a typed answer takes the text before /contact and the questions.
    routing.install(app, UI, order=20)
    add_command(app, CommandInfo("apply", N_("apply to a course"), order=30))
    add_command(app, CommandInfo("status", N_("my applications"), order=31))
    add_menu_item(app, MenuItem("apply", N_("📝 Apply to a course"), order=30))
