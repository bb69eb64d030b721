"""A workshop's summary: cards discussed, notes, agreements; as a page, Markdown and CSV."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from scan import workshops
from scan.db import get_db
from scan.exports import csv_text
from scan.web import question_catalogue
from scan.web.access import member_of
from scan.web.labels import ACTION_STATUS
from scan.web.workshops import reason_text, workshop_or_404

bp = Blueprint("summaries", __name__, url_prefix="/p/<int:pid>/workshops/<int:wid>")


def _discussed(wid: int) -> list[dict]:
    """Drawn cards that were not skipped, with their card text and agreements."""
    lang = str(get_locale())
    rows = []
    for row in workshops.presented(get_db(), wid):
        card = question_catalogue().card(row["card_id"])
        rows.append({**row, "question": card.question(lang) if card else row["card_id"],
                     "follow_up": [f(lang) for f in card.follow_up] if card else [],
                     "why": reason_text(row["reason"])})
    return rows


def _theme(dimension_id: str | None) -> str:
    found = question_catalogue().dimension_index().get(dimension_id or "")
    return found[1].title(str(get_locale())) if found else ""


def _context(pid: int, wid: int) -> dict:
    partnership = member_of(pid)
    workshop = workshop_or_404(pid, wid)
    return {"partnership": partnership, "workshop": workshop, "cards": _discussed(wid),
            "actions": workshops.actions(get_db(), pid, workshop_id=wid), "theme": _theme,
            "statuses": ACTION_STATUS}


@bp.get("/summary")
@login_required
def summary(pid: int, wid: int):
    return render_template("workshops/summary.html", **_context(pid, wid))


@bp.get("/summary.md")
@login_required
def summary_markdown(pid: int, wid: int):
    body = render_template("workshops/summary.md", **_context(pid, wid))
    return Response(body, mimetype="text/markdown",
                    headers={"Content-Disposition": f"attachment; filename=workshop-{wid}.md"})


@bp.get("/summary.csv")
@login_required
def summary_csv(pid: int, wid: int):
    context = _context(pid, wid)
    notes = {c["card_id"]: c["notes"] for c in context["cards"]}
    questions = {c["card_id"]: c["question"] for c in context["cards"]}
    header = [_("Card"), _("Question"), _("Notes"), _("Agreement"), _("Who"), _("Due date"),
              _("Status"), _("Theme")]
    rows = [[c["card_id"], c["question"], c["notes"], "", "", "", "", ""]
            for c in context["cards"]]
    rows += [[a["card_id"] or "", questions.get(a["card_id"], ""), notes.get(a["card_id"], ""),
              a["text"], a["owner"], a["due_on"] or "", str(ACTION_STATUS[a["status"]]),
              _theme(a["dimension_id"])] for a in context["actions"]]
    return Response(csv_text(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=workshop-{wid}.csv"})
