"""Downloads of a round: CSV, Excel and JSON, with small groups left out as on screen."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, current_app, g, jsonify
from flask_babel import get_locale
from flask_login import current_user, login_required

from scan import accounts, anonymised, results, rounds
from scan.db import get_db
from scan.exports import Table, csv_text, xlsx_bytes
from scan.web.access import fail, member_of
from scan.web.context import question_catalogue
from scan.web.i18n import gettext as _
from scan.web.labels import EXPORT_COLUMNS, EXPORT_SHEETS
from scan.web.report_figures import group_kind_label, group_label
from scan.web.reports import joint_scores, report_for, round_and_set

bp = Blueprint("exports", __name__, url_prefix="/p/<int:pid>/rounds/<int:rid>")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _threshold() -> int:
    return int(current_app.config["ANONYMITY_THRESHOLD"])


def _download(body, mimetype: str, the_round: dict, name: str) -> Response:
    filename = f"samenscan-{the_round['school_year']}-{the_round['id']}-{name}"
    accounts.record(get_db(), "export downloaded", current_user.id,
                    the_round["partnership_id"], filename)
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


def _rows_allowed(the_round: dict) -> bool:
    """Row-level answers: coordinators only, and only once the round is closed."""
    return g.role == "coordinator" and the_round["status"] == "closed"


# The summary as a person reads it in a spreadsheet: the set, theme and group by name
# first, then the numbers; the codes (anonymised.SUMMARY_HEADER's, as the JSON export
# has them) stay in the last columns, headed "(code)", for formulas and scripts that
# join sheets or years, since a name changes with the language and a code does not.
SUMMARY_SHEET = ["set_title", "dimension_title", "group_kind_name", "group_name",
                 "respondents", "mean", "spread", "dont_know",
                 "set", "dimension", "group_kind", "group"]


def _summary_sheet(qset, rows: list[list]) -> list[list]:
    lang = str(get_locale())
    titles = {d.id: d.title(lang) for d in qset.dimensions}
    return [[qset.title(lang), titles.get(dimension, dimension), group_kind_label(kind),
             group_label(kind, key), *numbers, set_id, dimension, kind, key]
            for set_id, dimension, kind, key, *numbers in rows]


def _tables(the_round: dict, qset) -> dict:
    """The tables of a set; "joint" only once the partnership agreed a joint score."""
    report = report_for(the_round["id"], qset)
    tables = {
        "summary": (SUMMARY_SHEET, _summary_sheet(qset, anonymised.summary_rows(report))),
        "comments": (anonymised.COMMENT_HEADER, anonymised.comment_rows(report)),
    }
    agreed = joint_scores(the_round["partnership_id"], the_round["id"], qset)
    if agreed:
        tables["joint"] = (anonymised.JOINT_HEADER,
                           anonymised.joint_rows(report, agreed, str(get_locale())))
    if _rows_allowed(the_round):
        release = results.latest(get_db(), the_round["id"])
        tables["answers"] = (anonymised.ANSWER_HEADER,
                             results.answer_rows(get_db(), release, qset, _threshold()))
        tables["left_out"] = (anonymised.LEFT_OUT_HEADER,
                              results.rows_left_out(get_db(), release, qset, _threshold()))
    return tables


def _sheet(header: list[str], rows: list[list]) -> Table:
    """A table in the reader's language: its column heads, dates as dates (written
    as the reader's spreadsheet expects them); values stay what the report shows."""
    dates = [n for n, code in enumerate(header) if code == "session_date"]
    return Table([str(EXPORT_COLUMNS.get(code, code)) for code in header],
                 [[date.fromisoformat(v) if n in dates and v else v for n, v in enumerate(row)]
                  for row in rows])


@bp.get("/export/<set_id>-<what>.csv")
@login_required
def round_csv(pid: int, rid: int, set_id: str, what: str):
    member_of(pid)
    the_round, qset = round_and_set(pid, rid, set_id)
    if what not in ("summary", "answers", "comments", "joint"):
        fail(404, _("This export does not exist."))
    if what == "answers" and not _rows_allowed(the_round):
        fail(403, _("Answers per person are for coordinators, once the round is closed. "
                    "The summary shows every group that is large enough."))
    # No joint score agreed yet: the joint table is just its header.
    table = _sheet(*_tables(the_round, qset).get(what, (anonymised.JOINT_HEADER, [])))
    return _download(csv_text(table.header, table.rows, str(get_locale())), "text/csv",
                     the_round, f"{set_id}-{what}.csv")


@bp.get("/export/<set_id>.xlsx")
@login_required
def round_xlsx(pid: int, rid: int, set_id: str):
    member_of(pid)
    the_round, qset = round_and_set(pid, rid, set_id)
    sheets = {str(EXPORT_SHEETS[what]): _sheet(*table)
              for what, table in _tables(the_round, qset).items()}
    return _download(xlsx_bytes(sheets), XLSX, the_round, f"{set_id}.xlsx")


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
        tables = _tables(the_round, qset)
        sets.append({
            "set": qset.id, "version": qset.version, "respondents": report.respondents,
            "shown": report.shown, "release": report.release,
            "summary": [dict(zip(tables["summary"][0], r, strict=True))
                        for r in tables["summary"][1]],   # codes and names both
            "items": anonymised.item_rows(report),
            "comments": report.comments if report.shown else {},
            "answers": [dict(zip(tables["answers"][0], r, strict=True))
                        for r in tables.get("answers", ([], []))[1]],
            "answers_left_out": {row[0]: row[1] for row in tables.get("left_out", ([], []))[1]},
            "answers_blanked": {row[0]: row[2] for row in tables.get("left_out", ([], []))[1]},
            "joint": [dict(zip(anonymised.JOINT_HEADER, r, strict=True))
                      for r in tables.get("joint", ([], []))[1]],
        })
    body = {"round": {k: the_round[k] for k in ("id", "school_year", "title", "status")},
            "anonymity_threshold": _threshold(), "sets": sets}
    accounts.record(get_db(), "export downloaded", current_user.id, pid,
                    f"samenscan-{the_round['school_year']}-{rid}.json")
    response = jsonify(body)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=samenscan-{the_round['school_year']}-{rid}.json")
    return response
