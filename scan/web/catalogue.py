"""The catalogue: every question set and card deck, readable before a round or workshop."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import login_required

from scan.web import question_catalogue
from scan.web.access import fail

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")


@bp.get("/")
@login_required
def index():
    return render_template("catalogue/index.html", catalogue=question_catalogue())


@bp.get("/sets/<set_id>")
@login_required
def question_set(set_id: str):
    found = question_catalogue().sets.get(set_id)
    if found is None:
        fail(404, _("This question set does not exist."))
    decks = [d for d in question_catalogue().decks.values() if d.set == set_id]
    return render_template("catalogue/set.html", set=found, decks=decks)


@bp.get("/decks/<deck_id>")
@login_required
def deck(deck_id: str):
    found = question_catalogue().decks.get(deck_id)
    if found is None:
        fail(404, _("This card deck does not exist."))
    return render_template("catalogue/deck.html", deck=found,
                           dimensions=question_catalogue().dimension_index())
