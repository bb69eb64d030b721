"""Running a workshop: draw cards, present them, take notes, record agreements."""

from __future__ import annotations

import random

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import login_required

from scan import card_notes, card_vote, drawing, joint, rounds, workshops
from scan.db import get_db
from scan.qr import SVG_TYPE, short_url
from scan.qr import svg as qr_svg
from scan.questions import Card
from scan.web.access import confirmed, fail, member_of
from scan.web.context import question_catalogue
from scan.web.forms import (
    ActionForm,
    AgreementForm,
    DotVoteForm,
    DrawForm,
    PickForm,
    WorkshopForm,
    choices,
)
from scan.web.i18n import gettext as _
from scan.web.labels import CARD_KINDS
from scan.web.released import latest_release, report_for
from scan.web.sessions import (
    RUNNERS,
    dimension_choices,
    ranked_cards,
    reason_text,
    review,
    stage_texts,
    state,
    theme_title,
    workshop_or_404,
)

bp = Blueprint("workshops", __name__, url_prefix="/p/<int:pid>/workshops")


def cards_or_404(pid: int, wid: int) -> dict:
    """A session with cards: a joint scoring session has its own routes (scan.web.joint),
    and its position means a theme, not a card."""
    found = workshop_or_404(pid, wid)
    if found["kind"] != "cards":
        fail(404, _("This is a joint scoring session: open it from the list of sessions."))
    return found


def session_cards(workshop: dict) -> list[Card]:
    """Every card in the decks chosen for this session."""
    decks = question_catalogue().decks
    return [c for d in workshops.deck_ids(get_db(), workshop["id"]) if d in decks
            for c in decks[d].cards]


def round_themes(round_id: int | None) -> set[str] | None:
    """The themes of a round's question sets; None without a round (then every theme)."""
    if not round_id:
        return None
    return {d.id for s in rounds.round_sets(get_db(), question_catalogue(), round_id)
            for d in s.dimensions}


@bp.get("/")
@login_required
def index(pid: int):
    partnership = member_of(pid)
    return render_template("workshops/index.html", partnership=partnership,
                           workshops=workshops.workshops(get_db(), pid))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(pid: int):
    partnership = member_of(pid, *RUNNERS)
    form = WorkshopForm()
    form.round.choices = choices([(0, _("No scan round"))] + [
        (r["id"], f"{r['school_year']} – {r['title']}") for r in rounds.rounds(get_db(), pid)])
    form.decks.choices = choices((d.id, d.title(str(get_locale())))
                                 for d in question_catalogue().decks.values())
    if form.validate_on_submit():
        try:
            wid = workshops.create(get_db(), pid, form.title.data, form.held_on.data,
                                   form.round.data or None, form.decks.data)
        except workshops.Duplicate:
            form.title.errors.append(_("There is already a session with this title on this "
                                       "date."))
            return render_template("workshops/new.html", partnership=partnership,
                                   form=form), 409
        return redirect(url_for(".console", pid=pid, wid=wid))
    status = 400 if form.is_submitted() else 200
    return render_template("workshops/new.html", partnership=partnership, form=form), status


def _draw_form(workshop: dict) -> DrawForm:
    form = DrawForm()
    decks = question_catalogue().decks
    ours = [d for d in workshops.deck_ids(get_db(), workshop["id"]) if d in decks]
    form.deck.choices = choices([("", _("All decks of this session"))] + [
        (d, decks[d].title(str(get_locale()))) for d in ours])
    # Only themes that cards are about: in the deck sent along (a refused form shows
    # the themes of the deck chosen there), else in all decks of the session. So a
    # theme without cards fails validation here too, and _explain_theme says why.
    deck = form.deck.data if form.deck.data in ours else None
    form.dimension.choices = dimension_choices(
        _("Any theme"), drawing.themes_with_cards(session_cards(workshop), deck))
    return form


def _explain_theme(form: DrawForm) -> None:
    """Replace WTForms' bare "Not a valid choice" for a theme by what is wrong."""
    if not form.dimension.errors:
        return
    theme = theme_title(form.dimension.data)
    deck = question_catalogue().decks.get(form.deck.data) if not form.deck.errors else None
    if deck:
        message = _("No card in the deck %(deck)s is about %(theme)s. Choose another theme, "
                    "or draw from all decks of this session.",
                    deck=deck.title(str(get_locale())), theme=theme)
    else:
        message = _("No card in the decks of this session is about %(theme)s. Choose another "
                    "theme.", theme=theme)
    form.dimension.errors = [message]


def why_not_from_the_scan(workshop: dict) -> str | None:
    """Why drawing "from the scan" cannot work for this session now; None when it can.

    The scan steers by released results only (scan.releases): an open round
    without interim results has none until it closes.
    """
    the_round = workshop["round_id"] and rounds.round_of(get_db(), workshop["partnership_id"],
                                                         workshop["round_id"])
    if not the_round:
        return _("This session is not linked to a scan round, so there are no results to "
                 "steer by. Draw at random or by theme instead.")
    name = f"{the_round['school_year']} – {the_round['title']}"
    if latest_release(the_round["id"]) is None:
        if the_round["status"] == "closed":
            return _("The round %(round)s closed without enough answers to show results, so "
                     "there is nothing to steer by. Draw at random or by theme instead.",
                     round=name)
        return _("The round %(round)s has no released results yet: results appear when the "
                 "round closes. Until then, draw at random or by theme.", round=name)
    if not _scan_priorities(workshop):
        return _("The released results of the round %(round)s show no theme scores (too few "
                 "answers per theme), so there is nothing to steer by. Draw at random or by "
                 "theme instead.", round=name)
    return None


def _pick_form(workshop: dict, pile: list[Card]) -> PickForm:
    form = PickForm()
    lang = str(get_locale())
    # People pick by the question; the card's id is the catalogue's, not theirs.
    form.card.choices = choices((c.id, c.question(lang)) for c in pile)
    return form


def _agreement_form(workshop: dict, formdata=None, theme: str = "") -> AgreementForm:
    """The agreement form as sent (formdata), or a fresh one about `theme`; its
    themes are those of the session's round."""
    form = AgreementForm(formdata=formdata) if formdata is not None else \
        AgreementForm(formdata=None, dimension=theme)
    form.dimension.choices = dimension_choices(_("No particular theme"),
                                               round_themes(workshop["round_id"]))
    return form


def card_theme(workshop: dict, card_id: str) -> str:
    """The theme an agreement on this card is about by default (scan.workshops.default_theme)."""
    card = question_catalogue().card(card_id)
    if card is None:
        return ""
    asked = {d.id for s in rounds.round_sets(get_db(), question_catalogue(), workshop["round_id"])
             for d in s.dimensions} if workshop["round_id"] else set()
    return workshops.default_theme(tuple(card.dimensions), asked)


@bp.get("/<int:wid>")
@login_required
def console(pid: int, wid: int):
    partnership = member_of(pid, *RUNNERS)
    workshop = workshop_or_404(pid, wid)
    if workshop["kind"] == "joint":
        return redirect(url_for("joint.screen", pid=pid, wid=wid))
    return _render_console(partnership, workshop)


def _render_console(partnership, workshop, agreement=None, status=200, draw=None,
                    scan_refused=False):
    db = get_db()
    catalogue = question_catalogue()
    sequence = workshops.drawn(db, workshop["id"])
    pile = drawing.pool(session_cards(workshop), {c["card_id"] for c in sequence})
    shown = [c for c in sequence if not c["skipped"]]
    current = shown[workshop["position"]] if shown else None
    return render_template(
        "workshops/console.html", partnership=partnership, workshop=workshop,
        sequence=sequence, shown=shown, current=current, card=catalogue.card,
        draw=draw or _draw_form(workshop), pick=_pick_form(workshop, pile), pile=pile,
        agreement=agreement or _agreement_form(
            workshop, theme=card_theme(workshop, current["card_id"]) if current else ""),
        action_form=ActionForm(), **review(partnership["id"], workshop, not sequence),
        reason_text=reason_text, kinds=CARD_KINDS, scan_refused=scan_refused,
        scan_hint=why_not_from_the_scan(workshop),
        actions=workshops.actions(db, partnership["id"], workshop_id=workshop["id"]),
        participant_url=url_for("participate.follow", token=workshop["token"], _external=True),
        room_notes=card_notes.notes(db, current["id"]) if current else [],
        vote_form=DotVoteForm(), voters=card_vote.voters(db, workshop["id"]),
        ranked=ranked_cards(sequence),
    ), status


def _writable(pid: int, wid: int) -> tuple[dict, dict]:
    partnership = member_of(pid, *RUNNERS)
    workshop = cards_or_404(pid, wid)
    if workshop["status"] != "open":
        fail(409, _("This workshop session is closed. Reopen it to make changes."))
    confirmed()
    return partnership, workshop


def _scan_priorities(workshop: dict) -> list[drawing.Reason]:
    if not workshop["round_id"]:
        return []
    sets = rounds.round_sets(get_db(), question_catalogue(), workshop["round_id"])
    return drawing.scan_priorities(report_for(workshop["round_id"], s) for s in sets)


@bp.post("/<int:wid>/draw")
@login_required
def draw(pid: int, wid: int):
    partnership, workshop = _writable(pid, wid)
    form = _draw_form(workshop)
    if not form.validate():
        _explain_theme(form)
        return _render_console(partnership, workshop, status=400, draw=form)
    filters = drawing.Filters(form.deck.data or None, form.kind.data or None,
                              form.dimension.data or None)
    drawn_ids = {c["card_id"] for c in workshops.drawn(get_db(), wid)}
    priorities = _scan_priorities(workshop) if form.mode.data == "scan" else []
    if form.mode.data == "scan" and not priorities:
        # Not a bare error: the console says why (scan_hint) with the form set to
        # draw at random, the filters kept, so the other ways are one click away.
        form.mode.data = "random"
        return _render_console(partnership, workshop, status=409, draw=form, scan_refused=True)
    rng, cards, added = random.Random(), session_cards(workshop), 0
    for _n in range(form.count.data):
        pile = drawing.pool(cards, drawn_ids, filters)
        if form.mode.data == "scan":
            on_table = [c for c in map(question_catalogue().card, drawn_ids) if c]
            found = drawing.draw_from_scan(pile, priorities, rng, on_table)
            card, reason = found if found else (None, None)
        else:
            card, reason = drawing.draw_random(pile, rng), None
        if card is None:
            break
        try:
            workshops.add_card(get_db(), wid, card.id, reason.as_dict() if reason else None)
        except workshops.AlreadyDrawn:  # another facilitator drew it a moment ago
            pass
        drawn_ids.add(card.id)
        added += 1
    if added < form.count.data:
        flash(_("No more cards match; %(n)d drawn.", n=added), "info")
    return redirect(url_for(".console", pid=pid, wid=wid))


@bp.post("/<int:wid>/pick")
@login_required
def pick(pid: int, wid: int):
    partnership, workshop = _writable(pid, wid)
    drawn_ids = {c["card_id"] for c in workshops.drawn(get_db(), wid)}
    pile = drawing.pool(session_cards(workshop), drawn_ids)
    form = _pick_form(workshop, pile)
    if not form.validate():
        fail(400, _("Choose a card from the list: it may have been drawn already."))
    try:
        workshops.add_card(get_db(), wid, form.card.data)
    except workshops.AlreadyDrawn:
        fail(409, _("This card was drawn already in this session."))
    return redirect(url_for(".console", pid=pid, wid=wid))


def _drawn_card(wid: int, row_id: int) -> dict:
    row = next((c for c in workshops.drawn(get_db(), wid) if c["id"] == row_id), None)
    if row is None:
        fail(404, _("This card is not in this session."))
    return row


@bp.post("/<int:wid>/cards/<int:row_id>/back")
@login_required
def put_back(pid: int, wid: int, row_id: int):
    _writable(pid, wid)
    _drawn_card(wid, row_id)
    try:
        workshops.put_back(get_db(), wid, row_id)
    except workshops.HasNotes:
        fail(409, _("This card has notes or agreements, so it stays. Skip it instead."))
    return redirect(url_for(".console", pid=pid, wid=wid))


@bp.post("/<int:wid>/cards/<int:row_id>/skip")
@login_required
def skip(pid: int, wid: int, row_id: int):
    _writable(pid, wid)
    _drawn_card(wid, row_id)
    workshops.toggle_skip(get_db(), wid, row_id)
    return redirect(url_for(".console", pid=pid, wid=wid))


def _after_change(pid: int, wid: int):
    if request.accept_mimetypes.best == "application/json":
        return jsonify(state(workshop_or_404(pid, wid)))
    target = ".present" if request.form.get("from") == "present" else ".console"
    return redirect(url_for(target, pid=pid, wid=wid))


def _bounded_int(text: str, message: str, limit: int = 1_000_000) -> int:
    """A number from a form, or 400: never one SQLite cannot store (10**20 was a 500)."""
    try:
        number = int(text)
    except ValueError:
        fail(400, message)
    if not -limit <= number <= limit:
        fail(400, message)
    return number


@bp.post("/<int:wid>/move")
@login_required
def move(pid: int, wid: int):
    _writable(pid, wid)
    position = _bounded_int(request.form.get("to", ""), _("Unknown card position."))
    workshops.move(get_db(), wid, position)
    return _after_change(pid, wid)


@bp.post("/<int:wid>/reveal")
@login_required
def reveal(pid: int, wid: int):
    _, workshop = _writable(pid, wid)
    current = state(workshop)["card"]
    workshops.reveal(get_db(), wid, current["follow_up_total"] if current else 0)
    return _after_change(pid, wid)


@bp.get("/<int:wid>/present")
@login_required
def present(pid: int, wid: int):
    partnership = member_of(pid, *RUNNERS)
    workshop = cards_or_404(pid, wid)
    join_url = url_for("participate.follow", token=workshop["token"], _external=True)
    return render_template("workshops/present.html", partnership=partnership,
                           workshop=workshop, state=state(workshop), action_form=ActionForm(),
                           stage_texts=stage_texts(), short_url=short_url(join_url))


@bp.get("/<int:wid>/state.json")
@login_required
def state_json(pid: int, wid: int):
    member_of(pid, *RUNNERS)
    return jsonify(state(cards_or_404(pid, wid)))


@bp.post("/<int:wid>/cards/<int:row_id>/notes")
@login_required
def notes(pid: int, wid: int, row_id: int):
    _writable(pid, wid)
    _drawn_card(wid, row_id)
    text = request.form.get("notes", "")
    if len(text) > workshops.NOTES_MAX:
        fail(413, _("Notes can be at most %(n)d characters. Shorten them; what was saved "
                    "before is kept.", n=workshops.NOTES_MAX))
    version = _bounded_int(request.form.get("version", ""),
                           _("Reload the page before saving notes: it is out of date."),
                           limit=2**31)
    if version < 0:
        fail(400, _("Reload the page before saving notes: it is out of date."))
    try:
        saved, version, merged = workshops.save_notes(get_db(), wid, row_id, text, version)
    except ValueError:
        fail(413, _("Notes can be at most %(n)d characters. Shorten them; what was saved "
                    "before is kept.", n=workshops.NOTES_MAX))
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"notes": saved, "version": version, "merged": merged})
    if merged:
        flash(_("Someone else changed these notes at the same time; both texts are kept."),
              "info")
    return redirect(url_for(".console", pid=pid, wid=wid))


@bp.post("/<int:wid>/cards/<int:row_id>/agreements")
@login_required
def agreement(pid: int, wid: int, row_id: int):
    partnership, workshop = _writable(pid, wid)
    row = _drawn_card(wid, row_id)
    form = _agreement_form(workshop, request.form)
    if not form.validate():
        return _render_console(partnership, workshop, agreement=form, status=400)
    try:
        workshops.add_action(get_db(), pid, form.text.data, form.owner.data, form.due_on.data,
                             form.dimension.data, wid, row["card_id"])
    except workshops.Duplicate:
        fail(409, _("This agreement is already recorded for this card."))
    flash(_("Agreement added to the action plan."), "success")
    return redirect(url_for(".console", pid=pid, wid=wid))


@bp.post("/<int:wid>/status/<status>")
@login_required
def set_status(pid: int, wid: int, status: str):
    member_of(pid, *RUNNERS)
    workshop_or_404(pid, wid)
    if status not in ("open", "closed"):
        fail(404, _("Unknown status."))
    confirmed()
    workshops.set_status(get_db(), wid, status)
    if status == "closed":
        card_vote.forget(get_db(), wid)
    return redirect(url_for(".console", pid=pid, wid=wid))


@bp.post("/<int:wid>/cards/<int:row_id>/notes/show")
@login_required
def show_card_notes(pid: int, wid: int, row_id: int):
    """Show the room's notes on a card (on the projector and the phones)."""
    _writable(pid, wid)
    _drawn_card(wid, row_id)
    card_notes.show(get_db(), wid, row_id)
    return _after_change(pid, wid)


@bp.post("/<int:wid>/vote")
@login_required
def start_vote(pid: int, wid: int):
    _writable(pid, wid)
    form = DotVoteForm()
    if not form.validate():
        fail(400, " ".join(map(str, form.dots.errors)))
    try:
        card_vote.start(get_db(), wid, form.dots.data)
    except joint.NotNow:
        fail(409, _("A dot vote needs at least two cards on the table; nothing was started."))
    return redirect(url_for(".console", pid=pid, wid=wid))


@bp.post("/<int:wid>/vote/end")
@login_required
def end_vote(pid: int, wid: int):
    _writable(pid, wid)
    try:
        totals = card_vote.end(get_db(), wid)
    except joint.NotNow:
        fail(409, _("There is no dot vote running."))
    if totals is None:
        flash(_("Fewer than 3 people voted, so no result is kept."), "info")
    return redirect(url_for(".console", pid=pid, wid=wid))


@bp.get("/<int:wid>/qr.svg")
@login_required
def qr(pid: int, wid: int):
    member_of(pid, *RUNNERS)
    workshop = workshop_or_404(pid, wid)
    url = url_for("participate.follow", token=workshop["token"], _external=True)
    # Kept a few minutes: the wall redraws its live part, image and all, at each step.
    return Response(qr_svg(url, scale=6), mimetype=SVG_TYPE,
                    headers={"Cache-Control": "private, max-age=300"})
