"""The catalogue: every question set and card deck, readable before a round or workshop."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_login import login_required

from scan.web.access import fail
from scan.web.context import question_catalogue
from scan.web.i18n import gettext as _

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


def _deck_or_404(deck_id: str):
    found = question_catalogue().decks.get(deck_id)
    if found is None:
        fail(404, _("This card deck does not exist."))
    return found


@bp.get("/decks/<deck_id>")
@login_required
def deck(deck_id: str):
    found = _deck_or_404(deck_id)
    return render_template("catalogue/deck.html", deck=found,
                           dimensions=question_catalogue().dimension_index())


@bp.get("/decks/<deck_id>/print")
@login_required
def print_deck(deck_id: str):
    """A4 sheets with four A6 cards each, cut lines, for tables without screens."""
    found = _deck_or_404(deck_id)
    languages = request.args.get("lang", "")
    languages = ["nl", "en"] if languages == "both" else [languages or str(get_locale())]
    if not set(languages) <= {"nl", "en"}:
        fail(404, _("This language is not available."))
    sheets = [found.cards[i:i + 4] for i in range(0, len(found.cards), 4)]
    return render_template("catalogue/print_deck.html", deck=found, sheets=sheets,
                           languages=languages)
