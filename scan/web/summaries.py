"""A workshop's summary: cards discussed, notes, agreements; as a page, Markdown and CSV.

For a joint scoring session (kind 'joint') the summary also goes through every
dimension of the session: the placements as a distribution (only as far as
`joint.spread` may show them; never per person), the joint score, its
evidence, the sticky notes and the next steps agreed for it."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template
from flask_babel import get_locale
from flask_login import current_user, login_required

from scan import accounts, card_notes, highlights, joint, workshops
from scan.db import get_db
from scan.exports import csv_text
from scan.web.access import member_of
from scan.web.context import question_catalogue
from scan.web.i18n import gettext as _
from scan.web.labels import ACTION_STATUS, PARTNER_TYPES
from scan.web.sessions import ranked_cards, reason_text, workshop_or_404

bp = Blueprint("summaries", __name__, url_prefix="/p/<int:pid>/workshops/<int:wid>")


def _discussed(wid: int) -> list[dict]:
    """Drawn cards that were not skipped, with their card text and agreements, and the
    room's notes from the phones that the facilitator showed."""
    lang = str(get_locale())
    rows = []
    from_room = card_notes.shown_notes(get_db(), wid)
    for row in workshops.presented(get_db(), wid):
        card = question_catalogue().card(row["card_id"])
        rows.append({**row, "question": card.question(lang) if card else row["card_id"],
                     "follow_up": [f(lang) for f in card.follow_up] if card else [],
                     "why": reason_text(row["reason"]), "room_notes": from_room.get(row["id"], [])})
    return rows


def _theme(dimension_id: str | None) -> str:
    found = question_catalogue().dimension_index().get(dimension_id or "")
    return found[1].title(str(get_locale())) if found else ""


def _distribution(shown: joint.Spread, points: list[dict]) -> dict:
    """The placements per scale point (and per partner type when they may be shown)."""
    types = [t for t in joint.PARTNER_TYPES if shown.by_type and t in shown.by_type]
    rows = []
    for point in points:
        count = (shown.counts or {}).get(point["value"], 0)
        rows.append({**point, "count": count,
                     "share": round(100 * count / shown.placed, 1) if shown.placed else 0,
                     "by_type": [shown.by_type[t].get(point["value"], 0) for t in types]})
    return {"placed": shown.placed, "shown": shown.shown, "mean": shown.mean, "rows": rows,
            "types": [(t, str(PARTNER_TYPES[t])) for t in types],
            "type_totals": [sum(shown.by_type[t].values()) for t in types]}


def _joint(workshop: dict, actions: list[dict]) -> dict | None:
    """A joint scoring session's dimensions in the order discussed, with what was agreed."""
    if workshop["kind"] != "joint":
        return None
    db, lang = get_db(), str(get_locale())
    qset = question_catalogue().sets.get(workshop["set_id"] or "")
    points = ([{"value": p.value, "label": p.label(lang)} for p in qset.scale.points]
              if qset else [])
    labels = {p["value"]: p["label"] for p in points}
    dimensions = []
    rows = joint.dimensions(db, workshop["id"])
    places = {row["dimension_id"]: place for place, row in joint.ranking(rows)}
    for row in rows:
        found = qset.dimension(row["dimension_id"]) if qset else None
        # Placements only once revealed (before that they may still change, and a
        # reload during placing would show each change); notes once the facilitator
        # showed them or the session closed.
        revealed = row["step"] != "place"
        shown = joint.spread(db, workshop["id"], row["dimension_id"]) if revealed \
            else joint.Spread(0, None, None, None)
        notes_open = row["notes_shown"] or workshop["status"] == "closed"
        dimensions.append({
            "id": row["dimension_id"],
            "title": found.title(lang) if found else row["dimension_id"],
            "score": row["score"], "score_label": labels.get(row["score"], ""),
            "evidence": row["evidence"], "spread": _distribution(shown, points),
            "revealed": revealed, "dots": row["dots"], "place": places.get(row["dimension_id"]),
            "notes": joint.notes(db, workshop["id"], row["dimension_id"]) if notes_open else [],
            "actions": [a for a in actions if a["dimension_id"] == row["dimension_id"]]})
    ranked = sorted((d for d in dimensions if d["place"]), key=lambda d: d["place"])
    return {"set_title": qset.title(lang) if qset else workshop["set_id"] or "",
            "points": points, "dimensions": dimensions,
            "ranked": [(d["place"], d["title"], d["dots"]) for d in ranked]}


def _context(pid: int, wid: int) -> dict:
    partnership = member_of(pid)
    workshop = workshop_or_404(pid, wid)
    actions = workshops.actions(get_db(), pid, workshop_id=wid)
    found = _joint(workshop, actions)
    return {"partnership": partnership, "workshop": workshop, "cards": _discussed(wid),
            "actions": actions, "theme": _theme, "statuses": ACTION_STATUS,
            "joint": found, "min_shown": joint.MIN_SHOWN,
            "stands_out": highlights.joint_highlights(found["dimensions"]) if found else None,
            "card_ranked": ranked_cards(workshops.drawn(get_db(), wid))}


@bp.get("/summary")
@login_required
def summary(pid: int, wid: int):
    return render_template("workshops/summary.html", **_context(pid, wid))


@bp.get("/summary.md")
@login_required
def summary_markdown(pid: int, wid: int):
    body = render_template("workshops/summary.md", **_context(pid, wid))
    accounts.record(get_db(), "export downloaded", current_user.id, pid, f"workshop-{wid}.md")
    return Response(body, mimetype="text/markdown",
                    headers={"Content-Disposition": f"attachment; filename=workshop-{wid}.md"})


def _due(value: str | None) -> date | str:
    """A due date as a date, so the CSV writes it as the reader's spreadsheet reads it."""
    return date.fromisoformat(value[:10]) if value else ""


@bp.get("/summary.csv")
@login_required
def summary_csv(pid: int, wid: int):
    context = _context(pid, wid)
    notes = {c["card_id"]: c["notes"] for c in context["cards"]}
    questions = {c["card_id"]: c["question"] for c in context["cards"]}
    header = [_("Card"), _("Question"), _("Notes"), _("Agreement"), _("Who"), _("Due date"),
              _("Status"), _("Theme")]
    rows = [[c["card_id"], c["question"], "\n".join([c["notes"], *c["room_notes"]]).strip(),
             "", "", "", "", ""] for c in context["cards"]]
    rows += [[a["card_id"] or "", questions.get(a["card_id"], ""), notes.get(a["card_id"], ""),
              a["text"], a["owner"], _due(a["due_on"]), str(ACTION_STATUS[a["status"]]),
              _theme(a["dimension_id"])] for a in context["actions"]]
    if context["joint"]:
        # One row per dimension: its joint score and evidence; sticky notes as notes.
        # The dot vote's result as each theme's dots and its place in the ranking.
        header += [_("Joint score"), _("Evidence"), _("Dots"), _("Place in the dot vote")]
        rows = [[*r, "", "", "", ""] for r in rows]
        rows += [["", "", "\n".join(d["notes"]), "", "", "", "", d["title"],
                  "" if d["score"] is None else d["score"], d["evidence"],
                  d["dots"] if d["place"] else "", d["place"] or ""]
                 for d in context["joint"]["dimensions"]]
    accounts.record(get_db(), "export downloaded", current_user.id, pid, f"workshop-{wid}.csv")
    return Response(csv_text(header, rows, str(get_locale())), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=workshop-{wid}.csv"})
