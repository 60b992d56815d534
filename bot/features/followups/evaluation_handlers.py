"""Telegram handlers of the evaluation and the satisfaction survey: thin, render-only.

The invitations (sent by the follow-up scheduler) carry "ev:go:<course>" / "sv:go:<course>";
every other button and typed answer is checked by the services, which refuse anything that
is not the presser's own current question.
"""

from __future__ import annotations

from datetime import date

from telegram import CallbackQuery, Chat, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.clock import local_today, utcnow
from bot.core.callbacks import Press, on_press, stale
from bot.core.context import BotContext
from bot.core.forms import engine, routing
from bot.core.forms.spec import Answer
from bot.core.forms.steps import Step
from bot.core.registry import CommandInfo, add_command
from bot.features.followups import evaluation, survey
from bot.features.followups import evaluation_keyboards as kb
from bot.i18n import N_, _, fmt_date, ngettext, pick


def _month(target: str) -> str:
    """ "2018-09" as the reader's month name and year; anything else as written."""
    try:
        year, month = (int(p) for p in target.split("-")[:2])
        return fmt_date(date(year, month, 1), fmt="LLLL y")
    except ValueError:
        return target


def eval_question(view: evaluation.EvalView):
    """The text and buttons of the question the evaluation waits for."""
    at, total = view.at or Step(""), len(view.actions)
    if at.key in ("st", "ev") and at.n is not None and at.n < total:
        i = at.n
        action = view.actions[i]
        if at.key == "st":
            text = _(
                "Action {n} of {total}: {action}\nTarget: {month}\n\nHow far have you got with it?"
            ).format(n=i + 1, total=total, action=action.text, month=_month(action.target))
            return text, kb.status_keyboard(view.id, i)
        text = _(
            "In one line, what shows your progress on this action (a decision, a document, a "
            "project, a figure)? Up to 500 characters. You may skip this question."
        )
        return text, kb.skip_keyboard("ev", view.id, at.body)
    if at.key == "rating":
        text = _(
            "How useful has the course been in your work? "
            "Please choose from 1 (not useful) to 5 (very useful)."
        )
        return text, kb.rating_keyboard(view.id)
    if at.key == "comment":
        text = _(
            "Is there anything else you would like to tell us about applying what you learned? "
            "Up to 1,000 characters. You may skip this question."
        )
        return text, kb.skip_keyboard("ev", view.id, at.body)
    text = _(
        "At the programme's International Training Forum, alumni present how they applied "
        "Seoul's policies in their cities. Would you present your case at the forum?"
    )
    return text, kb.volunteer_keyboard(view.id)


def survey_question(view: survey.SurveyView):
    """The text and buttons of the question the survey waits for."""
    step = view.at.key if view.at else ""
    if step in survey.ITEMS:
        text = _(
            "{i}/{n}. {item}: how satisfied are you? 1 = very dissatisfied, 5 = very satisfied."
        )
        text = text.format(
            i=survey.ITEMS.index(step) + 1, n=len(survey.ITEMS), item=kb.item_label(step)
        )
        return text, kb.score_keyboard(view.id, step)
    text = _(
        "Any comment on the course: what should we keep or change? "
        "Up to 1,000 characters. You may skip this question."
    )
    return text, kb.skip_keyboard("sv", view.id)


async def _send_eval(chat: Chat, view: evaluation.EvalView) -> None:
    title = pick(view.course_title)
    if view.completed_at is not None:
        text = _("Thank you! Your evaluation of “{course}” has been recorded.").format(
            course=title
        )
        if view.volunteer:
            text += "\n" + _("The team will contact you about presenting your case at the forum.")
        await chat.send_message(text)
        return
    text, markup = eval_question(view)
    await chat.send_message(text, reply_markup=markup)


async def _send_survey(chat: Chat, view: survey.SurveyView) -> None:
    if view.completed_at is not None:
        text = _("Thank you! Your answers on “{course}” have been recorded.")
        await chat.send_message(text.format(course=pick(view.course_title)))
        return
    text, markup = survey_question(view)
    await chat.send_message(text, reply_markup=markup)


async def _open_eval(query: CallbackQuery, chat: Chat, person_id: int, course_id: int) -> None:
    result = await evaluation.begin(person_id, course_id)
    if result.outcome == "invalid":
        await stale(query)
        return
    await query.answer()
    title = pick(result.title or {})
    if result.outcome == "no_postcard":
        text = _(
            "You did not write an action-plan postcard during “{course}”, so there are no "
            "actions to evaluate. If you think this is a mistake, please write to us: /contact"
        )
        await chat.send_message(text.format(course=title))
        return
    view = result.view
    assert view is not None
    if result.outcome == "completed":
        text = _("You have already answered the evaluation of “{course}”. Thank you!")
        await chat.send_message(text.format(course=title))
        return
    if result.outcome == "started":
        n = len(view.actions)
        intro = ngettext(
            "Field-application evaluation of “{course}”. During the course you planned {n} "
            "action; I will ask how far you have got with it, then a few short questions. You "
            "can stop with /cancel at any time: your answers are saved.",
            "Field-application evaluation of “{course}”. During the course you planned {n} "
            "actions; I will ask how far you have got with each, then a few short questions. You "
            "can stop with /cancel at any time: your answers are saved.",
            n,
        ).format(course=title, n=n)
    else:
        intro = _("Let us continue your evaluation of “{course}”.").format(course=title)
    await chat.send_message(intro)
    await _send_eval(chat, view)


@on_press(kb.EV)
async def ev_button(update: Update, context: BotContext, press: Press) -> None:
    """Every `ev:` button, decoded once: the engine checks it, then the next question."""
    query, chat, user = update.callback_query, update.effective_chat, context.user
    assert query is not None and chat is not None and user is not None
    if press.action == "go":
        await _open_eval(query, chat, user.person_id, press.course)
        return
    value = f"{press.index}:{press.value}" if press.action == "st" else str(press.value)
    view = await evaluation.choose(user.person_id, press.eval, press.action, value)
    if view is None:
        await stale(query)
        return
    if press.action == "st":
        chosen = kb.status_label(press.value)
    elif press.action == "vo":
        chosen = _("Yes") if press.value == "yes" else _("No")
    else:
        chosen = _("Skip") if press.action == "sk" else value
    await routing.close(query, chosen)
    await _send_eval(chat, view)


async def _open_survey(query, chat: Chat, person_id: int, course_id: int) -> None:
    result = await survey.begin(person_id, course_id)
    if result.outcome == "invalid" or result.view is None:
        if query is not None:
            await stale(query)
        return
    if query is not None:
        await query.answer()
    title = pick(result.title or {})
    if result.outcome == "completed":
        text = _("You have already answered the survey of “{course}”. Thank you!")
        await chat.send_message(text.format(course=title))
        return
    if result.outcome == "started":
        n = len(survey.ITEMS)
        intro = ngettext(
            "Satisfaction survey of “{course}”: {n} short question, scored from 1 (very "
            "dissatisfied) to 5 (very satisfied), then a comment. You can stop with /cancel.",
            "Satisfaction survey of “{course}”: {n} short questions, each scored from 1 (very "
            "dissatisfied) to 5 (very satisfied), then a comment. You can stop with /cancel.",
            n,
        ).format(course=title, n=n)
    else:
        intro = _("Let us continue your survey of “{course}”.").format(course=title)
    await chat.send_message(intro)
    await _send_survey(chat, result.view)


@on_press(kb.SV)
async def sv_button(update: Update, context: BotContext, press: Press) -> None:
    """Every `sv:` button: open, score or skip the comment."""
    query, chat, user = update.callback_query, update.effective_chat, context.user
    assert query is not None and chat is not None and user is not None
    if press.action == "go":
        await _open_survey(query, chat, user.person_id, press.course)
        return
    if press.action == "sc":
        question, value, chosen = Step(press.item), str(press.value), str(press.value)
    else:
        question, value, chosen = Step("comment"), None, _("Skip")
    view = await engine.answer_press(
        survey.SURVEY, user.person_id, press.response, question, value
    )
    if view is None:
        await stale(query)
        return
    await routing.close(query, chosen)
    await _send_survey(chat, view)


async def survey_command(update: Update, context: BotContext) -> None:
    """/survey: the survey of a course in progress or ended at most 14 days ago."""
    chat, user = update.effective_chat, context.user
    assert chat is not None and user is not None
    today = local_today(utcnow(), context.settings.timezone)
    courses = await survey.open_surveys(user.person_id, today)
    pending = [c for c in courses if not c.done]
    if not courses:
        await chat.send_message(_("There is no course survey for you at the moment."))
    elif not pending:
        await chat.send_message(
            _("You have already answered the surveys of your courses. Thank you!")
        )
    elif len(pending) == 1:
        await _open_survey(None, chat, user.person_id, pending[0].course_id)
    else:
        markup = kb.courses_keyboard([(c.course_id, pick(c.title)) for c in pending])
        await chat.send_message(_("Which course would you like to rate?"), reply_markup=markup)


async def _asked_eval(chat: Chat, answer: Answer, _env: None) -> None:
    await _send_eval(chat, answer.view)


async def _asked_survey(chat: Chat, answer: Answer, _env: None) -> None:
    await _send_survey(chat, answer.view)


def _stopped(flow: str):
    def stopped(course_ids: tuple[int, ...]) -> tuple[str, object]:
        """/cancel: the answers are kept; ▶️ Continue opens the same course's flow again."""
        text = _("Stopped. Your answers are saved; press “▶️ Continue” when you are ready.")
        return text, kb.continue_keyboard(flow, course_ids[0])

    return stopped


EVALUATION_UI = routing.Ui(evaluation.EVALUATION, _asked_eval, _stopped("ev"))
SURVEY_UI = routing.Ui(survey.SURVEY, _asked_survey, _stopped("sv"))


def register(app: Application) -> None:
    """Install the evaluation and survey handlers, text consumer and canceller."""
    app.add_handler(CallbackQueryHandler(ev_button, pattern=kb.EV.pattern))
    app.add_handler(CallbackQueryHandler(sv_button, pattern=kb.SV.pattern))
    app.add_handler(CommandHandler("survey", survey_command))
    # After a waiting application form (20), before /contact and the question answering;
    # the evaluation is asked before the survey (the group lets only one wait anyway).
    routing.install(app, EVALUATION_UI, order=25)
    routing.install(app, SURVEY_UI, order=25)
    add_command(app, CommandInfo("survey", N_("rate your course"), order=40))
