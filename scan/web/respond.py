"""The respondent's journey: open a group link, answer page by page, resume, submit.

No account: a group link (one per partner × role) starts a respondent, who
gets a personal resume link, kept in a cookie as well. Every "next" saves the
page, so closing the browser loses at most the page on screen.
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import Length, ValidationError

from scan import personal, responses, rounds
from scan.caches import Bounded
from scan.db import get_db
from scan.responses import COMMENT_MAX, Page
from scan.web import mailing
from scan.web.access import fail
from scan.web.context import csrf
from scan.web.forms import ActionForm, choices
from scan.web.i18n import gettext as _
from scan.web.questionnaire import (
    COOKIE_DAYS,
    closed_page,
    cookie_name,
    landing_page,
    routed,
    sets_for,
)
from scan.web.released import release_results
from scan.web.security import limiter

bp = Blueprint("respond", __name__)


def _start_limit() -> str:
    return current_app.config.get("START_LIMIT", "60 per minute")


def _link_limit() -> str:
    return current_app.config.get("START_LIMIT_PER_LINK", "300 per minute")


def _link_key() -> str:
    return f"link|{request.view_args.get('token', '')}"


def _link_or_404(token: str) -> dict:
    link = rounds.link_by_token(get_db(), token)
    if link is None:
        fail(404, _("This link is not known. Check that you copied the whole address."))
    if link["status"] != "open":
        closed_page(link)
    return link


def _own_respondent(link: dict) -> dict | None:
    """The respondent this browser already started through this group link, if any."""
    token = request.cookies.get(cookie_name(link["round_id"]))
    found = responses.respondent(get_db(), token) if token else None
    return found if found and found["group_link_id"] == link["id"] else None


@bp.route("/s/<token>", methods=["GET", "POST"])
# Starts per address (a classroom behind one school address fits) and per link.
@limiter.limit(_start_limit, methods=["POST"])
@limiter.limit(_link_limit, key_func=_link_key, methods=["POST"])
def landing(token: str):
    link = _link_or_404(token)
    sets = sets_for(link)
    mine = _own_respondent(link)
    form = ActionForm()
    if form.validate_on_submit():
        if not sets:
            fail(409, _("This round asks nothing of your role. Thank you all the same."))
        # A second click on "start" continues; someone else on a shared computer
        # asks for a fresh start explicitly.
        if mine and not request.form.get("fresh"):
            return redirect(url_for(".resume",
                                    token=request.cookies[cookie_name(link["round_id"])]))
        try:
            resume_token = responses.start(get_db(), link["round_id"], link["id"],
                                           again=bool(mine))
        except responses.RoundClosed:  # closed between showing the page and pressing start
            closed_page(link)
        except responses.LinkOff:
            fail(409, _("The coordinator has switched this group link off, so it starts no "
                        "new questionnaires. Ask them for the right link."))
        except responses.LinkFull:
            fail(409, _("This group link has reached the number of questionnaires the "
                        "coordinator set for it. Ask them for another link."))
        response = redirect(url_for(".welcome", token=resume_token))
        response.set_cookie(cookie_name(link["round_id"]), resume_token, httponly=True,
                            samesite="Lax", max_age=COOKIE_DAYS * 86400,
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
        return response
    if form.is_submitted():
        fail(400, _("This form has expired or was not sent from our site. Reload the page "
                    "and try again."))
    return landing_page(link, form, mine)


def _journey(token: str) -> tuple[dict, list[Page]]:
    """The respondent behind a resume link and the pages of their round."""
    found = responses.respondent(get_db(), token)
    if found is None:
        fail(404, _("This resume link is not known. Check that you copied the whole address."))
    return found, routed(found)[1]


def _answering(token: str) -> tuple[dict, list[Page]]:
    """Like _journey, for pages that take answers: after submitting, the thank-you
    page; in a closed round, the closed message."""
    respondent, pages = _journey(token)
    if respondent["submitted_at"]:
        abort(redirect(url_for(".thanks", token=token)))
    if respondent["status"] != "open":
        closed_page(respondent)
    if not pages:
        fail(409, _("This round asks nothing of your role. Thank you all the same."))
    reached = responses.progress(get_db(), respondent["id"], respondent["next_page"], pages)
    return {**respondent, "next_page": reached}, pages


@bp.get("/r/<token>/welcome")
def welcome(token: str):
    respondent, pages = _journey(token)
    return render_template("respond/welcome.html", respondent=respondent, token=token,
                           resume_url=url_for(".resume", token=token, _external=True))


@bp.get("/r/<token>")
def resume(token: str):
    found = responses.respondent(get_db(), token)
    if found is not None and found["submitted_at"]:
        # Sent in: the same link now opens their mirror (scan.web.mirror).
        return redirect(url_for("mirror.mirror_page", token=token))
    respondent, pages = _answering(token)
    if respondent["next_page"] >= len(pages):
        return redirect(url_for(".review", token=token))
    return redirect(url_for(".page", token=token, number=respondent["next_page"]))


class ScaleField(RadioField):
    """One item's radio scale. Leaving it open is allowed until "next" (checked
    there); a value that is not on the scale is always refused."""

    def pre_validate(self, form):
        if self.data is None:
            return
        if self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(_("Choose one of the answers on the scale."))


def page_form(page: Page, lang: str) -> type[FlaskForm]:
    """A form class for one page: a radio scale per item, and a comment. Built once
    per worker for the page as worded (set, items and their texts, scale) and the
    language; at most 512 of them."""
    scale = page.set.scale
    key = (page.set.id, page.set.version, page.dimension.id, lang,
           tuple((i.id, i.text(lang)) for i in page.dimension.items),
           tuple((p.value, p.label(lang)) for p in (*scale.points, scale.dont_know)))
    cache = Bounded.of_app(current_app, "samenscan.page_forms", entries=512)
    return cache.get(key, lambda: _page_form(page, lang))


def _page_form(page: Page, lang: str) -> type[FlaskForm]:
    scale = page.set.scale
    options = choices([(str(p.value), p.label(lang)) for p in scale.points]
                      + [(str(scale.dont_know.value), scale.dont_know.label(lang))])

    class PageForm(FlaskForm):
        # Not the session's CSRF token: a phone that dropped its session cookie
        # would lose the answers just typed. The form carries a key derived from
        # the resume token instead (form_key).
        class Meta:
            csrf = False

            def get_translations(self, form):
                # wtforms' own messages never show here (every message is ours), so
                # its catalogue is not loaded for every request.
                return None

        page = HiddenField()
        comment = TextAreaField(_("Comment (optional)"), validators=[Length(
            max=COMMENT_MAX, message=_("Keep your comment under %(n)d characters.",
                                       n=COMMENT_MAX))])
        back = SubmitField(_("Previous"))
        next = SubmitField(_("Save and continue"))

    for item in page.dimension.items:
        setattr(PageForm, item.id, ScaleField(item.text(lang), choices=options))
    return PageForm


def _stored_as_form_data(page: Page, answers: dict) -> dict:
    dont_know = str(page.set.scale.dont_know.value)
    return {item: dont_know if value is None else str(value) for item, value in answers.items()}


def _answers_from(form: FlaskForm, page: Page) -> dict:
    """{item id: value, or None for don't know}, leaving out unanswered items."""
    dont_know = page.set.scale.dont_know.value
    answers = {}
    for item in page.dimension.items:
        raw = form[item.id].data
        if raw is not None:
            answers[item.id] = None if int(raw) == dont_know else int(raw)
    return answers


def _reject_tampering(form: FlaskForm, page: Page) -> None:
    expected = {f.name for f in form} | {"csrf_token", "key"}
    if set(request.form) - expected or request.form.get("page") != page.dimension.id:
        fail(400, _("This page was sent with fields we did not ask for. Nothing was saved. "
                    "Reload the page and try again."))


@bp.route("/r/<token>/p/<int:number>", methods=["GET", "POST"])
@csrf.exempt   # the resume cookie guards these posts: see page_form
def page(token: str, number: int):
    respondent, pages = _answering(token)
    if number >= len(pages) or number > respondent["next_page"]:
        return redirect(url_for(".resume", token=token))
    current = pages[number]
    # Form fields only: a JSON body must not stand in for them on this exempt route.
    form = page_form(current, str(get_locale()))(
        formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        return _save(token, respondent, pages, current, form)
    answers, comment = responses.saved_page(get_db(), respondent["id"], current.dimension)
    form.process(data={**_stored_as_form_data(current, answers), "comment": comment,
                       "page": current.dimension.id})
    return _render_page(token, pages, current, form, respondent)


def form_key(token: str) -> str:
    """The key a respondent's forms carry: derived from their resume token and the
    app's secret, so it needs no session and no cookie, and another site (which
    does not know the token) cannot make one."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"respond|{token}".encode(), hashlib.sha256).hexdigest()[:32]


def _key_matches(token: str) -> bool:
    return hmac.compare_digest(request.form.get("key", ""), form_key(token))


def _render_page(token, pages, current, form, respondent, status=200, not_saved=False):
    # Whatever was refused, the page comes back with what was typed in it.
    return render_template("respond/page.html", token=token, page=current, form=form,
                           pages=pages, respondent=respondent, not_saved=not_saved,
                           key=form_key(token)), status


def _save(token, respondent, pages, current, form):
    _reject_tampering(form, current)
    if not _key_matches(token):
        form.validate()
        return _render_page(token, pages, current, form, respondent, 400, not_saved=True)
    if not form.validate():
        return _render_page(token, pages, current, form, respondent, 400)
    answers = _answers_from(form, current)
    going_back = bool(form.back.data)
    missing = [i for i in current.dimension.items if i.id not in answers]
    if missing and not going_back:
        for item in missing:
            form[item.id].errors = [_("Choose an answer, or \"don't know\".")]
        return _render_page(token, pages, current, form, respondent, 400)
    try:
        # Going back saves what is there but never counts the page as done.
        responses.save_page(get_db(), respondent["id"], respondent["round_id"], current,
                            answers, form.comment.data or "",
                            advance=not going_back and not missing)
    except responses.RoundClosed:
        closed_page(respondent)
    except responses.AlreadySubmitted:
        return redirect(url_for(".thanks", token=token))
    except sqlite3.DatabaseError:
        # A full disk, a lock held past the busy timeout, a damaged file: the person
        # keeps what they typed and is told so, instead of a bare error page.
        current_app.logger.exception("saving page %s of respondent %s", current.number,
                                     respondent["id"])
        return _render_page(token, pages, current, form, respondent, 503, not_saved="storage")
    if going_back:
        return redirect(url_for(".page", token=token, number=max(current.number - 1, 0)))
    if current.number + 1 < len(pages):
        return redirect(url_for(".page", token=token, number=current.number + 1))
    return redirect(url_for(".review", token=token))


@bp.route("/r/<token>/review", methods=["GET", "POST"])
@csrf.exempt   # the resume cookie guards this post: see page_form
def review(token: str):
    respondent, pages = _answering(token)
    if respondent["next_page"] < len(pages):
        return redirect(url_for(".resume", token=token))
    if request.method == "POST" and _key_matches(token):
        try:
            responses.submit(get_db(), respondent["id"], pages)
        except responses.RoundClosed:
            closed_page(respondent)
        except responses.Incomplete:   # a page was left open in another tab meanwhile
            return redirect(url_for(".resume", token=token))
        except sqlite3.DatabaseError:
            current_app.logger.exception("submitting respondent %s", respondent["id"])
            return render_template("respond/review.html", token=token, pages=pages,
                                   respondent=respondent, not_saved="storage",
                                   key=form_key(token)), 503
        if respondent["via"] == "personal":
            # No reminders, and the address is erased, in the outbox folder too.
            mailing.forget_files(personal.sent_in(get_db(), token))
        if respondent["results"] == "interim":
            try:
                release_results(respondent["round_id"])
            except sqlite3.DatabaseError:   # sent in all the same; the next release shows it
                current_app.logger.exception("interim release of round %s",
                                             respondent["round_id"])
        response = redirect(url_for(".thanks", token=token))
        # Sent in: this device no longer holds the questionnaire.
        response.delete_cookie(cookie_name(respondent["round_id"]), httponly=True,
                               samesite="Lax")
        return response
    return render_template("respond/review.html", token=token, pages=pages,
                           respondent=respondent, not_saved=request.method == "POST",
                           key=form_key(token)), 400 if request.method == "POST" else 200


@bp.get("/r/<token>/thanks")
def thanks(token: str):
    respondent, _pages = _journey(token)
    if not respondent["submitted_at"]:
        return redirect(url_for(".resume", token=token))
    return make_response(render_template(
        "respond/thanks.html", respondent=respondent,
        mirror_url=url_for("mirror.mirror_page", token=token, _external=True)))
