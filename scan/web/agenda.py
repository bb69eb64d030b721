"""From report to agenda in one step: the themes the scan points at (lowest score,
largest difference between groups) become a card session and a joint scoring
session, ready to present.

The themes are those drawing "from the scan" would take first
(scan.drawing.scan_priorities, over this set's released report), so the cards
say why they were drawn, and the joint session scores the same themes.
"""

from __future__ import annotations

import random
from datetime import date

from flask import Blueprint, flash, redirect, url_for
from flask_babel import get_locale
from flask_login import login_required

from scan import drawing, workshops
from scan.db import get_db
from scan.web.access import confirmed, fail, member_of
from scan.web.context import question_catalogue
from scan.web.i18n import gettext as _
from scan.web.joint_session import decks_for
from scan.web.released import report_for, round_and_set
from scan.web.sessions import RUNNERS

bp = Blueprint("agenda", __name__, url_prefix="/p/<int:pid>/rounds/<int:rid>/report/<set_id>")

AGENDA_THEMES = 3   # an evening's worth: three themes, one card each, scored together


def _create(pid: int, title: str, round_id: int, decks: list[str], **joint) -> int:
    """A session under `title` today; a second agenda the same day gets a number."""
    for n in range(1, 50):
        try:
            return workshops.create(get_db(), pid, title if n == 1 else f"{title} ({n})",
                                    date.today(), round_id, decks, **joint)
        except workshops.Duplicate:
            continue
    fail(409, _("There are already many sessions with this title today."))


def _draw(wid: int, priorities: list[drawing.Reason]) -> int:
    """One card per theme, each with why it was drawn."""
    decks = question_catalogue().decks
    cards = [c for d in workshops.deck_ids(get_db(), wid) if d in decks for c in decks[d].cards]
    rng, on_table = random.Random(), []
    for reason in priorities:
        found = drawing.draw_from_scan(drawing.pool(cards, {c.id for c in on_table}),
                                       [reason], rng, on_table)
        if found:
            workshops.add_card(get_db(), wid, found[0].id, reason.as_dict())
            on_table.append(found[0])
    return len(on_table)


@bp.post("/agenda")
@login_required
def make(pid: int, rid: int, set_id: str):
    member_of(pid, *RUNNERS)
    the_round, qset = round_and_set(pid, rid, set_id)
    confirmed()
    report = report_for(rid, qset)
    priorities = drawing.scan_priorities([report])[:AGENDA_THEMES] if report.shown else []
    if not priorities:
        fail(409, _("This report shows no theme scores yet (no released results, or too few "
                    "answers per theme), so there is no agenda to make from it."))
    lang = str(get_locale())
    name = f"{qset.title(lang)} {the_round['school_year']}"
    cards = _create(pid, _("Conversation: %(name)s", name=name), rid, decks_for(qset))
    drawn = _draw(cards, priorities)
    _create(pid, _("Joint scoring: %(name)s", name=name), rid, [], set_id=qset.id,
                    dimension_ids=tuple(r.dimension_id for r in priorities))
    flash(_("Agenda ready: a card session with %(cards)d cards and a joint scoring session on "
            "the same %(themes)d themes (see Workshops).", cards=drawn,
            themes=len(priorities)), "success")
    return redirect(url_for("workshops.index", pid=pid))
