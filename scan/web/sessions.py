"""What the workshop pages share: a partnership's session or a participant's open one,
who may run them, the themes to choose from, and the state a screen follows.

The card sessions (scan.web.workshops), joint scoring (scan.web.joint and its wall and
phones), the summaries, the agenda and the action list all use these: they live here so
that no blueprint imports another."""

from __future__ import annotations

from datetime import date

from flask_babel import get_locale

from scan import card_notes, card_vote, rounds, workshops
from scan.db import get_db
from scan.web import numbers
from scan.web.access import fail
from scan.web.context import question_catalogue
from scan.web.forms import choices
from scan.web.i18n import gettext as _
from scan.web.labels import CARD_KINDS
from scan.web.report_figures import group_label

RUNNERS = ("coordinator", "facilitator")


def workshop_or_404(pid: int, wid: int) -> dict:
    found = workshops.workshop_of(get_db(), pid, wid)
    if found is None:
        fail(404, _("This workshop session does not exist in this partnership."))
    return found


def open_session(token: str) -> dict:
    """The session behind a participants' link, while it is open."""
    workshop = workshops.workshop_by_token(get_db(), token)
    if workshop is None:
        fail(404, _("This workshop link is not known. Check that you copied the whole address."))
    if workshop["status"] != "open":
        fail(410, _("This workshop session has ended. Thank you for taking part."))
    return workshop


def dimension_choices(with_blank: str, only: set[str] | None = None) -> list:
    """Themes of every set (or only those in `only`), labelled with their set's title,
    for filters and agreements."""
    lang = str(get_locale())
    pairs = [("", with_blank)]
    for qset in question_catalogue().sets.values():
        pairs += [(d.id, f"{qset.title(lang)} – {d.title(lang)}") for d in qset.dimensions
                  if only is None or d.id in only]
    return choices(pairs)


def partnership_themes(pid: int, *also: str | None) -> set[str]:
    """The themes of every question set the partnership's rounds ask, plus `also`
    (a theme an action already has stays choosable, even if no round asks it now)."""
    found = {d.id for r in rounds.rounds(get_db(), pid)
             for s in rounds.round_sets(get_db(), question_catalogue(), r["id"])
             for d in s.dimensions}
    return found | {a for a in also if a}


def theme_title(dimension_id: str) -> str:
    """A theme's title in the user's language; an unknown id as it was given."""
    found = question_catalogue().dimension_index().get(dimension_id)
    return found[1].title(str(get_locale())) if found else dimension_id


def reason_text(reason: dict | None) -> str:
    """ "coördinatie: laagste score, 2,10" / "beoordelen: largest gap school–instituut, 1.30":
    the number in the reader's convention, as in the report it comes from."""
    if not reason:
        return ""
    title, value = theme_title(reason["dimension_id"]), numbers.number(reason["value"])
    if reason["kind"] == "lowest":
        return _("%(theme)s: lowest score, %(value)s", theme=title, value=value)
    return _("%(theme)s: largest gap %(high)s–%(low)s, %(value)s", theme=title,
             high=group_label(reason["group_kind"], reason["high"]),
             low=group_label(reason["group_kind"], reason["low"]), value=value)


def review(partnership_id: int, workshop: dict, at_start: bool) -> dict:
    """The review of open actions a session starts with (templates/actions/_review.html):
    expanded while an open session is at its start."""
    return {"review": workshops.to_review(get_db(), partnership_id, date.today(),
                                          workshop["id"]),
            "review_open": at_start and workshop["status"] == "open",
            "theme_title": theme_title}


def state(workshop: dict) -> dict:
    """What a screen shows now: for the projector, the console and participants alike."""
    shown = workshops.presented(get_db(), workshop["id"])
    lang = str(get_locale())
    body = {"version": workshop["version"], "status": workshop["status"],
            "position": workshop["position"], "total": len(shown), "card": None,
            "dots": workshop["dots"]}
    if shown:
        row = shown[workshop["position"]]
        card = question_catalogue().card(row["card_id"])
        if card:
            deck = question_catalogue().decks[card.deck]
            body["card"] = {
                "id": card.id, "deck": deck.title(lang), "question": card.question(lang),
                "kind": str(CARD_KINDS.get(card.kind, "")) if card.kind else "",
                "follow_up": [f(lang) for f in card.follow_up[:workshop["revealed"]]],
                "follow_up_total": len(card.follow_up), "why": reason_text(row["reason"]),
                "row": row["id"],
                "notes": card_notes.notes(get_db(), row["id"]) if row["notes_shown"] else None}
    return body


def stage_texts() -> dict:
    """Texts the screens' JavaScript fills in while following the session."""
    return {"counter": _("Card %(n)d of %(total)d"), "more": _("More questions follow"),
            "waiting": _("Waiting for the first card…"), "why": _("Drawn because"),
            "notes": _("Notes from the room"), "no_notes": _("No notes on this card."),
            "ended": _("This workshop session has ended. Thank you for taking part.")}


def ranked_cards(rows: list[dict]) -> list[tuple[int, str, int]]:
    """The last dot vote over the cards as (place, question, dots), most dots first."""
    lang = str(get_locale())
    found = []
    for place, row in card_vote.ranking(rows):
        card = question_catalogue().card(row["card_id"])
        found.append((place, card.question(lang) if card else row["card_id"], row["dots"]))
    return found
