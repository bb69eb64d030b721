"""What the pages around one questionnaire share: the sets as a group link asks them
(routed to its role, worded for its partner's sector), the welcome page with "start",
the resume cookie and the page a closed round shows.

The group link's pages (scan.web.respond), a personal invitation's (scan.web.personal)
and the respondent's mirror (scan.web.mirror) use them."""

from __future__ import annotations

from flask import abort, current_app, make_response, render_template, request
from flask_babel import get_locale

from scan import responses, rounds
from scan.caches import Bounded
from scan.db import get_db
from scan.questions import for_respondent, minutes_to_answer
from scan.responses import Page
from scan.web.context import question_catalogue, threshold
from scan.web.forms import ActionForm
from scan.web.labels import RESPONDENT_ROLES

# The resume cookie lets someone continue on the same device. It is cleared at
# submit (the next person on a shared school computer starts clean) and is
# ignored once the round closes; 30 days covers any round's open period.
COOKIE_DAYS = 30


def cookie_name(round_id: int) -> str:
    return f"resume_{round_id}"


def closed_page(the_round: dict | None = None):
    """A friendly page, not an error: the round closed, on which day, and thanks.
    410 tells machines the address is gone for good."""
    closed_at = (the_round or {}).get("closed_at")
    abort(make_response(render_template("respond/closed.html", round=the_round or {},
                                        closed_on=closed_at[:10] if closed_at else None), 410))


def landing_page(link: dict, form: ActionForm, mine: dict | None = None) -> str:
    """The round's welcome with "start", for a group link or a personal invitation."""
    sets = sets_for(link)
    return render_template("respond/landing.html", link=link, sets=sets, form=form, mine=mine,
                           resume_token=request.cookies.get(cookie_name(link["round_id"])),
                           page_count=len(responses.pages(sets)), roles=RESPONDENT_ROLES,
                           item_count=sum(len(s.items) for s in sets),
                           minutes=minutes_to_answer(sets, str(get_locale())), k=threshold())


def routed(link_or_respondent: dict) -> tuple[list, list[Page]]:
    """What this group link asks: the round's sets, routed to the link's role and
    worded for its partner's sector, and their pages. Built once per worker for what
    the round asked (its round_set rows: the sets and items, fixed when the round
    was made), the role and the sector; at most 256 of them (a few KB each)."""
    rid, role, sector = (link_or_respondent[k] for k in ("round_id", "role", "sector"))
    asked = tuple(get_db().execute("select set_id, item_ids from round_set where round_id = ? "
                                   "order by position", [rid]))

    def route() -> tuple[list, list[Page]]:
        sets = for_respondent(rounds.round_sets(get_db(), question_catalogue(), rid), role,
                              sector)
        return sets, responses.pages(sets)
    cache = Bounded.of_app(current_app, "samenscan.routed", entries=256)
    sets, pages = cache.get((asked, role, sector), route)
    return list(sets), list(pages)


def sets_for(link_or_respondent: dict) -> list:
    return routed(link_or_respondent)[0]


def asked_sets(respondent: dict) -> list:
    """The sets as this respondent read them: routed to their role, in their wording."""
    return sets_for(respondent)
