"""Reports: where the partnership stands, where views differ, and how it changed."""

from __future__ import annotations

import importlib.resources
from functools import lru_cache

from flask import Blueprint, current_app, g, render_template, send_file
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup
from plotly.offline import get_plotlyjs_version

from scan import anonymised, charts, joint, releases, rounds, scoring, workshops
from scan.db import get_db
from scan.questions import QuestionSet
from scan.web import question_catalogue
from scan.web.access import fail, member_of
from scan.web.labels import PARTNER_TYPES, RESPONDENT_ROLES, TAG_KEYS

bp = Blueprint("reports", __name__)
PLOTLY_URL = f"/vendor/plotly-{get_plotlyjs_version()}.min.js"


@bp.get(PLOTLY_URL)
def plotly_js():
    """plotly.js from the installed plotly package: no CDN, cached for a year.

    The version is in the address, so a new plotly gets a new address.
    """
    path = importlib.resources.files("plotly") / "package_data" / "plotly.min.js"
    return send_file(str(path), mimetype="text/javascript", max_age=365 * 24 * 3600)


def group_label(kind: str, key: str) -> str:
    if kind == "all":
        return _("All respondents")
    if kind == "role":
        return str(RESPONDENT_ROLES.get(key, key))
    if kind == "partner_type":
        return str(PARTNER_TYPES.get(key, key))
    return key


@lru_cache(maxsize=128)
def _cached_report(database: str, round_id: int, set_id: str, release: int | None,
                   threshold: int, questions: str, names: tuple) -> scoring.RoundReport:
    # A release never changes once made, so its number (with the partners'
    # current names, which every worker reads afresh) is a complete cache key.
    del database, questions  # part of the key only
    found = releases.latest(get_db(), round_id)
    if found is not None and found.number != release:
        found = next((r for r in releases.releases(get_db(), round_id) if r.number == release),
                     None)
    asked = {s.id: s for s in rounds.round_sets(get_db(), question_catalogue(), round_id)}
    qset = asked.get(set_id) or question_catalogue().sets[set_id]
    return scoring.round_report(get_db(), found, qset, threshold, dict(names))


def partner_names(round_id: int) -> tuple:
    """The partners of a round's partnership as they are named now: part of cache keys,
    so a renamed partner shows at once in every worker."""
    return tuple((str(r["id"]), r["name"]) for r in get_db().query(
        "select p.id, p.name from partner p join round r on r.partnership_id = p.partnership_id "
        "where r.id = ? order by p.id", [round_id]))


def latest_release(round_id: int) -> int | None:
    row = get_db().execute("select max(number) from release where round_id = ?",
                           [round_id]).fetchone()
    if row[0] is None and _closed_before_releases(round_id):
        return _release_once(round_id)
    return row[0]


def _closed_before_releases(round_id: int) -> bool:
    return get_db().execute("select status = 'closed' from round where id = ?",
                            [round_id]).fetchone() == (1,)


def _release_once(round_id: int) -> int | None:
    """A round closed by a version before releases: release it when first read (as
    `scan init-db` does for all of them), so its report shows again."""
    sets = rounds.round_sets(get_db(), question_catalogue(), round_id)
    releases.release(get_db(), round_id, sets, int(current_app.config["ANONYMITY_THRESHOLD"]))
    row = get_db().execute("select max(number) from release where round_id = ?",
                           [round_id]).fetchone()
    return row[0]


def report_for(round_id: int, qset: QuestionSet) -> scoring.RoundReport:
    """The latest release's report: the one place every view reads results from."""
    config = current_app.config
    return _cached_report(config["DATABASE"], round_id, qset.id, latest_release(round_id),
                          int(config["ANONYMITY_THRESHOLD"]), config["QUESTIONS"],
                          partner_names(round_id))


def round_and_set(pid: int, rid: int, set_id: str) -> tuple[dict, QuestionSet]:
    """The round (of this partnership) and one of its sets, or 404."""
    the_round = rounds.round_of(get_db(), pid, rid)
    if the_round is None:
        fail(404, _("This scan round does not exist in this partnership."))
    sets = {s.id: s for s in rounds.round_sets(get_db(), question_catalogue(), rid)}
    if set_id not in sets:
        fail(404, _("This round did not ask this question set."))
    return the_round, sets[set_id]


def _radar(report: scoring.RoundReport, lang: str) -> dict:
    qset = report.set
    axes = [d.title(lang) for d in qset.dimensions]
    ids = [d.id for d in qset.dimensions]
    traces = [charts.Trace(group_label("all", "all"), [report.overall.means[d] for d in ids])]
    traces += [charts.Trace(group_label(g.kind, g.key), [g.means[d] for d in ids],
                            visible=g.kind == "partner_type") for g in report.groups]
    return charts.radar(axes, traces, qset.scale.minimum, qset.scale.maximum, qset.title(lang))


def _tag_radars(report: scoring.RoundReport, lang: str) -> dict:
    """A radar per item tag with at least three values (e.g. by level)."""
    figures = {}
    for key, rows in report.tag_means.items():
        if len(rows) >= 3 and key not in _dimension_tag_keys(report.set):
            title = str(TAG_KEYS.get(key, key))
            figures[key] = charts.radar([v for v, _m, _n in rows],
                                        [charts.Trace(group_label("all", "all"),
                                                      [m for _v, m, _n in rows])],
                                        report.set.scale.minimum, report.set.scale.maximum,
                                        title)
    return figures


def _dimension_tag_keys(qset: QuestionSet) -> set[str]:
    """Tag keys whose values are just the dimensions again (no new view)."""
    return {k for d in qset.dimensions for k in d.tags
            if len({dim.tags.get(k) for dim in qset.dimensions}) == len(qset.dimensions)}


def joint_scores(pid: int, rid: int, qset: QuestionSet) -> tuple[anonymised.JointScore, ...]:
    """The joint scores agreed for a round's set in this partnership's sessions.

    Agreements change apart from releases: the tuple is part of the report's
    cache key, so a new or changed agreement shows at once.
    """
    ours = {row[0] for row in get_db().execute(
        "select id from workshop where partnership_id = ?", [pid])}
    agreed = joint.agreed_scores(get_db(), rid, qset.id)
    return anonymised.joint_scores({d: r for d, r in agreed.items() if r["workshop_id"] in ours},
                                   qset)


@lru_cache(maxsize=256)
def _report_body(key: tuple, pid: int, rid: int, set_id: str, status: str,
                 role: str, agreed: tuple[anonymised.JointScore, ...]) -> Markup:
    # Rendering the tables and figures costs more than scoring; the body depends
    # on nothing but the key (release, started respondents, language,
    # threshold) and the agreed joint scores, so it is kept as HTML.
    del key  # the cache key only
    report = report_for(rid, question_catalogue().sets[set_id])
    qset = report.set   # the items this round asked
    lang = str(get_locale())
    return Markup(render_template(
        "reports/_round_body.html", partnership={"id": pid}, round={"id": rid, "status": status},
        set=qset, lang=lang, role=role,
        report=report, group_label=group_label,
        joint={j.dimension_id: j for j in agreed}, survey_means=anonymised.survey_means(report),
        spreads=anonymised.spreads(report),
        radar=_radar(report, lang) if report.shown else None,
        tag_radars=_tag_radars(report, lang) if report.shown else {},
        dimension_tags=_dimension_tag_keys(qset), tag_keys=TAG_KEYS,
        links=rounds.links(get_db(), rid), hide_below=int(current_app.config[
            "ANONYMITY_THRESHOLD"])))


@bp.get("/p/<int:pid>/rounds/<int:rid>/report/<set_id>")
@login_required
def round_report(pid: int, rid: int, set_id: str):
    partnership = member_of(pid)
    the_round, qset = round_and_set(pid, rid, set_id)
    config = current_app.config
    started, submitted = rounds.response_totals(get_db(), rid)
    key = (config["DATABASE"], config["QUESTIONS"], int(config["ANONYMITY_THRESHOLD"]),
           started, submitted, latest_release(rid), partner_names(rid), str(get_locale()))
    return render_template(
        "reports/round.html", partnership=partnership, round=the_round, set=qset,
        report=report_for(rid, qset),
        body=_report_body(key, pid, rid, set_id, the_round["status"], g.role,
                          joint_scores(pid, rid, qset)),
        started=started, submitted=submitted, plotly_url=PLOTLY_URL)


def _joint_years(pid: int, asked: list[dict], shown: list[scoring.YearScore],
                 qset: QuestionSet) -> list[dict]:
    """Per round that asked the set, oldest first, with a shown survey or joint scores:
    its school year, survey means (as compared over the years) and joint scores.
    Empty while no round has a joint score."""
    means = {y.round_id: y.means for y in shown}
    columns = []
    for r in asked:
        agreed = {j.dimension_id: j.score for j in joint_scores(pid, r["id"], qset)}
        if agreed or r["id"] in means:
            columns.append({"school_year": r["school_year"], "means": means.get(r["id"], {}),
                            "joint": agreed})
    return columns if any(c["joint"] for c in columns) else []


@bp.get("/p/<int:pid>/years/<set_id>")
@login_required
def years(pid: int, set_id: str):
    partnership = member_of(pid)
    qset = question_catalogue().sets.get(set_id)
    if qset is None:
        fail(404, _("This question set does not exist."))
    threshold = int(current_app.config["ANONYMITY_THRESHOLD"])
    asked = [r for r in reversed(rounds.rounds(get_db(), pid))
             if qset.id in (r["sets"] or "").split(", ")]
    shown, left_out, items = scoring.years([(r, report_for(r["id"], qset)) for r in asked],
                                           qset)
    lang = str(get_locale())
    figure = charts.radar([d.title(lang) for d in qset.dimensions],
                          [charts.Trace(y.school_year, [y.means.get(d.id) for d in qset.dimensions])
                           for y in shown],
                          qset.scale.minimum, qset.scale.maximum, qset.title(lang))
    agreed = {}
    for action in workshops.actions(get_db(), pid):
        agreed.setdefault(action["dimension_id"], []).append(action)
    return render_template("reports/years.html", partnership=partnership, set=qset,
                           years=shown, left_out=left_out, items=items, figure=figure,
                           plotly_url=PLOTLY_URL, threshold=threshold, agreed=agreed,
                           joint_years=_joint_years(pid, asked, shown, qset))
