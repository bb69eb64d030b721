"""Downloads of a round: CSV, Excel and JSON, with small groups left out as on screen."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from flask_babel import gettext as _
from flask_login import login_required

from scan import anonymised, rounds
from scan.db import get_db
from scan.exports import csv_text, xlsx_bytes
from scan.web import question_catalogue
from scan.web.access import fail, member_of
from scan.web.reports import report_for, round_and_set

bp = Blueprint("exports", __name__, url_prefix="/p/<int:pid>/rounds/<int:rid>")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _threshold() -> int:
    return int(current_app.config["ANONYMITY_THRESHOLD"])


def _download(body, mimetype: str, the_round: dict, name: str) -> Response:
    filename = f"samenscan-{the_round['school_year']}-{the_round['id']}-{name}"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


def _tables(rid: int, qset) -> dict:
    report = report_for(rid, qset)
    return {
        "summary": (anonymised.SUMMARY_HEADER, anonymised.summary_rows(report)),
        "answers": (anonymised.ANSWER_HEADER,
                    anonymised.answer_rows(get_db(), rid, qset, _threshold())),
        "comments": (anonymised.COMMENT_HEADER, anonymised.comment_rows(report)),
    }


@bp.get("/export/<set_id>-<what>.csv")
@login_required
def round_csv(pid: int, rid: int, set_id: str, what: str):
    member_of(pid)
    the_round, qset = round_and_set(pid, rid, set_id)
    if what not in ("summary", "answers", "comments"):
        fail(404, _("This export does not exist."))
    header, rows = _tables(rid, qset)[what]
    return _download(csv_text(header, rows), "text/csv", the_round, f"{set_id}-{what}.csv")


@bp.get("/export/<set_id>.xlsx")
@login_required
def round_xlsx(pid: int, rid: int, set_id: str):
    member_of(pid)
    the_round, qset = round_and_set(pid, rid, set_id)
    return _download(xlsx_bytes(_tables(rid, qset)), XLSX, the_round, f"{set_id}.xlsx")


@bp.get("/export.json")
@login_required
def round_json(pid: int, rid: int):
    member_of(pid)
    the_round = rounds.round_of(get_db(), pid, rid)
    if the_round is None:
        fail(404, _("This scan round does not exist in this partnership."))
    sets = []
    for qset in rounds.round_sets(get_db(), question_catalogue(), rid):
        report = report_for(rid, qset)
        tables = _tables(rid, qset)
        sets.append({
            "set": qset.id, "version": qset.version, "respondents": report.respondents,
            "shown": report.shown,
            "summary": [dict(zip(tables["summary"][0], r, strict=True))
                        for r in tables["summary"][1]],
            "items": anonymised.item_rows(report),
            "comments": report.comments if report.shown else {},
            "answers": [dict(zip(tables["answers"][0], r, strict=True))
                        for r in tables["answers"][1]],
        })
    body = {"round": {k: the_round[k] for k in ("id", "school_year", "title", "status")},
            "anonymity_threshold": _threshold(), "sets": sets}
    response = jsonify(body)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=samenscan-{the_round['school_year']}-{rid}.json")
    return response
