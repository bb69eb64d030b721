"""Reports: where the partnership stands, where views differ, and how it changed."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from flask import Blueprint, current_app, g, render_template, request, send_file
from flask_babel import get_locale
from flask_login import login_required

from scan import anonymised, charts, highlights, joint, results, rounds, workshops
from scan.caches import Bounded
from scan.db import get_db
from scan.precompressed import choose, compressed, encoders
from scan.questions import QuestionSet
from scan.web import fragments, pages
from scan.web.access import fail, member_of
from scan.web.context import PLOTLY_URL, question_catalogue
from scan.web.i18n import gettext as _
from scan.web.labels import RESPONDENT_ROLES, TAG_KEYS, at_least
from scan.web.numbers import decimal_sign, localised
from scan.web.released import (
    highlights_of,
    joint_scores,
    partner_names,
    previous_release,
    release_of,
    report_of,
    round_and_set,
)
from scan.web.report_figures import (
    dimension_tag_keys,
    framework_views,
    group_label,
    radar,
    tag_radars,
    theme_cards,
)
from scan.web.report_tables import report_tables

bp = Blueprint("reports", __name__)


@bp.get(PLOTLY_URL)
def plotly_js():
    """plotly.js from the installed plotly package: no CDN, cached for a year.

    The version is in the address, so a new plotly gets a new address.
    """
    path = Path(str(importlib.resources.files("plotly") / "package_data" / "plotly.min.js"))
    encoding = choose(request.headers.get("Accept-Encoding"), list(encoders()))
    if encoding is not None:   # compressed once into the instance folder (4.8 MB -> ~1.3)
        try:
            path = compressed(path, PLOTLY_URL.rsplit("/", 1)[1],
                              Path(current_app.instance_path) / "vendor", encoding)
        except OSError:   # an instance folder we cannot write: send it as it is
            current_app.logger.exception("could not compress plotly.js")
            encoding = None
    response = send_file(path, mimetype="text/javascript", max_age=365 * 24 * 3600)
    if encoding is not None:
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    return response


def _report_body(pid: int, rid: int, status: str, report: results.RoundReport,
                 agreed: tuple[anonymised.JointScore, ...],
                 stands_out: highlights.Highlights | None = None) -> str:
    """The report's results: what stands out, figures, grids and tables; rendering them
    costs far more than reading the numbers, so the body is kept (scan.web.fragments)."""
    qset = report.set   # the items this round asked
    lang = str(get_locale())
    views = framework_views(report, lang)
    return render_template(
        "reports/_round_body.html", partnership={"id": pid}, round={"id": rid, "status": status},
        set=qset, lang=lang, role=g.role,
        report=report, group_label=group_label, stands_out=stands_out,
        joint={j.dimension_id: j for j in agreed}, survey_means=anonymised.survey_means(report),
        spreads=anonymised.spreads(report),
        radar=radar(report, lang) if report.shown else None,
        tag_radars=tag_radars(report, lang) if report.shown else {},
        cards=theme_cards(report) if report.shown else {},
        dimension_tags=dimension_tag_keys(qset), tag_keys=TAG_KEYS,
        **views, **(report_tables(report, qset, lang, views, decimal_sign())
                    if report.shown else {}), choices=charts.choices)


def response_rows(links: list[dict], k: int) -> list[tuple[str, str, str, str]]:
    """Per group link someone started: partner, role, started and completed as a reader
    may see them ("fewer than k" below k). Worked out here rather than per row in the
    template, each role's label translated once."""
    roles = {role: str(RESPONDENT_ROLES.get(role, role)) for role in {x["role"] for x in links}}
    return [(x["partner"], roles[x["role"]], at_least(x["started"], k),
             at_least(x["completed"], k)) for x in links if x["started"]]


def crowded(links: list[dict]) -> list[str]:
    """Groups whose link sent in more questionnaires than people expected (the cap was
    lifted, or the expected number lowered later): every reader is told, beside the
    results, as those extra questionnaires may be someone filling in for others."""
    return [f"{x['partner']} – {RESPONDENT_ROLES.get(x['role'], x['role'])}" for x in links
            if x["invited"] and x["completed"] > x["invited"]]


@bp.get("/p/<int:pid>/rounds/<int:rid>/report/<set_id>")
@login_required
def round_report(pid: int, rid: int, set_id: str):
    partnership = member_of(pid)
    the_round, qset = round_and_set(pid, rid, set_id)
    started, submitted = rounds.response_totals(get_db(), rid)
    k = int(current_app.config["ANONYMITY_THRESHOLD"])
    asked, row, names = release_of(rid, qset, the_round=the_round)
    agreed = joint_scores(pid, rid, qset)
    links = rounds.links(get_db(), rid)
    # The body shows the release (with the names), the joint scores and, for the
    # export buttons, the round's status; the response table changes with every
    # start, so it is rendered per request around the body. Around it the page
    # needs only the release's headline, which SQLite reads out of the stored JSON.
    # What stands out compares with last year's release: that is part of the key too.
    previous = previous_release(pid, rid, asked, names) if row is not None else None
    before = previous and (previous[0]["id"], previous[0]["school_year"], previous[2])
    body_key = ((row, names), agreed, the_round["status"], before)

    def render_body() -> str:
        report = report_of(asked, row, names, k)
        return _report_body(pid, rid, the_round["status"], report, agreed,
                            highlights_of(pid, the_round, report, previous))

    stored = []   # whether the body is kept in SQLite for every worker (scan.web.fragments)

    def render_page() -> str:
        body, kept = fragments.kept_and_stored(pid, f"report {rid} {qset.id}", body_key,
                                               render_body)
        stored.append(kept)
        headline = (results.headline(get_db(), row) if row is not None
                    else results.Headline.of(report_of(asked, row, names, k)))
        return render_template(
            "reports/round.html", partnership=partnership, round=the_round, set=qset,
            report=headline, body=body, response=response_rows(links, k),
            crowded=crowded(links), started=started, submitted=submitted,
            plotly_url=PLOTLY_URL)

    # The page is kept per worker for exactly these inputs (scan.web.pages): the body
    # by its own key (a fragment is the same for the same key, language and role), so
    # a page read again reads neither its body nor its headline; the release row
    # names the headline; the response table and its warning are worked out from the
    # links' counts (and language and threshold) only when rendered. A page whose body
    # SQLite could not keep (a busy database) is not kept either, so the next reader
    # keeps the body for every worker.
    response = tuple((x["partner"], x["role"], x["invited"], x["started"], x["completed"])
                     for x in links)
    shown = (tuple(partnership.items()), tuple(the_round.items()), qset.id, body_key,
             response, k, started, submitted)
    return pages.kept_page("round report", shown, render_page, keep=lambda _page: all(stored))


def _joint_years(joint_by_round: dict[int, tuple[anonymised.JointScore, ...]],
                 asked: list[dict], shown: list[results.YearScore]) -> list[dict]:
    """Per round that asked the set, oldest first, with a shown survey or joint scores:
    its school year, survey means (as compared over the years) and joint scores.
    Empty while no round has a joint score."""
    means = {y.round_id: y.means for y in shown}
    columns = []
    for r in asked:
        agreed = {j.dimension_id: j.score for j in joint_by_round.get(r["id"], ())}
        if agreed or r["id"] in means:
            columns.append({"school_year": r["school_year"], "means": means.get(r["id"], {}),
                            "joint": agreed})
    return columns if any(c["joint"] for c in columns) else []


def joint_scores_by_round(pid: int, qset: QuestionSet) -> dict[int, tuple]:
    """`joint_scores` of every round of the partnership, in one read."""
    return {rid: anonymised.joint_scores(
                {d: r for d, r in agreed.items() if r["owner"] == pid}, qset)
            for rid, agreed in joint.agreed_scores_by_round(get_db(), pid, qset.id).items()}


@bp.get("/p/<int:pid>/years/<set_id>")
@login_required
def years(pid: int, set_id: str):
    partnership = member_of(pid)
    qset = question_catalogue().sets.get(set_id)
    if qset is None:
        fail(404, _("This question set does not exist."))
    asked = rounds.rounds_asking(get_db(), pid, qset.id)[::-1]   # oldest first
    names = partner_names(asked[0]["id"]) if asked else ()   # the same for every year
    found = [(r, *release_of(r["id"], qset, names, r)) for r in asked]
    k = int(current_app.config["ANONYMITY_THRESHOLD"])
    # The years' comparison, figures and tables change only with a release of one of
    # the years (or a partner's name): kept, and the reports read only to make them.
    identity = tuple((r["id"], r["school_year"], r["status"], row, names)
                     for r, _set, row, _n in found)
    # Actions and joint scores change apart from releases: read per request, and with
    # the years' identity they are the key of the whole page (scan.web.pages).
    actions = workshops.actions(get_db(), pid)
    joint_by_round = joint_scores_by_round(pid, qset)
    shown_key = (tuple(partnership.items()), qset.id, identity,
                 tuple(tuple(a.items()) for a in actions),
                 tuple(joint_by_round.get(r["id"], ()) for r in asked))
    stored: list[bool] = []   # as for the round report: kept only with its parts stored
    return pages.kept_page("years", shown_key, lambda: _years_page(
        partnership, qset, asked, found, identity, actions, joint_by_round, k, stored),
        keep=lambda _page: all(stored))


def _years_page(partnership: dict, qset: QuestionSet, asked: list[dict], found: list[tuple],
                identity: tuple, actions: list[dict], joint_by_round: dict, k: int,
                stored: list[bool]) -> str:
    """The years page for what `years` read (its key); `stored` learns whether its
    rendered parts are kept in SQLite."""
    pid = partnership["id"]

    def kept(page: str, render) -> str:
        html, kept_now = fragments.kept_and_stored(pid, page, identity, render)
        stored.append(kept_now)
        return html

    def reports() -> list[tuple[dict, results.RoundReport]]:
        return [(r, report_of(each, row, names, k)) for r, each, row, names in found]

    compared = Bounded.of_app(current_app, "samenscan.years", entries=256)
    shown, left_out, items, margins, measured = compared.get(
        (qset.id, identity), lambda: compare_years(reports(), qset))
    changes = {d.id: year_change(shown, d.id) for d in qset.dimensions}
    context = {"set": qset, "years": shown, "threshold": k, "group_label": group_label,
               "margins": margins, "interim": {r["id"] for r in asked if r["status"] == "open"}}

    def year_results() -> str:
        lang = str(get_locale())
        figure = localised(charts.radar(
            [d.title(lang) for d in qset.dimensions],
            [charts.Trace(y.school_year, [y.means.get(d.id) for d in qset.dimensions])
             for y in shown],
            qset.scale.minimum, qset.scale.maximum, qset.title(lang)))
        return render_template("reports/_years_results.html", left_out=left_out, items=items,
                               figure=figure, changes=changes,
                               differs=differs_from_report(reports(), shown), **context)

    def trends() -> str:
        found_trends = group_trends({r["id"]: rep for r, rep in reports()}, shown, qset)
        return render_template("reports/_years_trends.html", trends=found_trends,
                               trend_charts=_trend_charts(found_trends, shown, qset,
                                                          str(get_locale())), **context)

    agreed = {}
    for action in actions:
        agreed.setdefault(action["dimension_id"] or None, []).append(action)
    return render_template(
        "reports/years.html", partnership=partnership, plotly_url=PLOTLY_URL, agreed=agreed,
        changes=changes, measured=measured,
        stands_out=highlights.year_highlights(qset, shown, margins), lang=str(get_locale()),
        results=kept(f"years {qset.id}", year_results),
        trends=kept(f"years {qset.id} trends", trends),
        joint_years=_joint_years(joint_by_round, asked, shown), **context)


def compare_years(reports: list[tuple[dict, results.RoundReport]], qset: QuestionSet) -> tuple:
    """The years compared (scan.results.years), and for the last change its margin per
    theme (scan.highlights.change_margin: within it, the change could be chance) and
    when the latest shown year was measured (its release): actions agreed after that
    cannot explain its numbers."""
    shown, left_out, items = results.years(reports, qset)
    by_round = {r["id"]: report for r, report in reports}
    margins = {}
    if len(shown) >= 2:
        before, now = by_round[shown[-2].round_id], by_round[shown[-1].round_id]
        margins = {d.id: highlights.change_margin(before, now, d.id) for d in qset.dimensions}
    measured = by_round[shown[-1].round_id].released_at if shown else None
    return shown, left_out, items, margins, measured


def differs_from_report(reports: list[tuple[dict, results.RoundReport]],
                        shown: list[results.YearScore]) -> dict[str, list[tuple[str, float]]]:
    """Per theme, the years whose own report shows another mean than the years page:
    the theme's statements changed between years, and the years compare only the
    statements of every year. [(school year, the mean its report shows)]."""
    by_round = {r["id"]: report for r, report in reports}
    notes: dict[str, list[tuple[str, float]]] = {}
    for year in shown:
        overall = by_round[year.round_id].overall
        for dimension, mean in year.means.items():
            reported = overall.means.get(dimension) if overall else None
            if reported is not None and mean is not None and round(reported, 2) != round(mean, 2):
                notes.setdefault(dimension, []).append((year.school_year, reported))
    return notes


def year_change(shown: list[results.YearScore], dimension_id: str) -> float | None:
    """The latest shown year's mean minus the year shown before it; None when either
    is missing."""
    if len(shown) < 2:
        return None
    now, before = shown[-1].means.get(dimension_id), shown[-2].means.get(dimension_id)
    return None if now is None or before is None else now - before


TREND_KINDS = ("partner_type", "role")


def _group_row(kind: str, key: str, reports: list[results.RoundReport],
               qset: QuestionSet) -> dict:
    """One group over the shown years. Its mean over the set is the plain mean of its
    theme means over the themes every year that shows the group shows for it, so the
    years compare like with like (as the statements do for all respondents)."""
    groups = [next((g for g in r.groups if (g.kind, g.key) == (kind, key)), None)
              for r in reports]
    found = [g for g in groups if g is not None]
    common = [d.id for d in qset.dimensions
              if found and all(g.means.get(d.id) is not None for g in found)]
    return {"key": key, "themes": len(common), "years": [{
        "respondents": g.respondents if g else None,
        "mean": sum(g.means[d] for d in common) / len(common) if g and common else None,
        "means": {d.id: g.means.get(d.id) if g else None for d in qset.dimensions}}
        for g in groups]}


def group_trends(reports: dict, shown: list[results.YearScore],
                 qset: QuestionSet) -> list[dict]:
    """Per kind of group (partner type, role) that a shown year's report shows: per
    group, per shown year, the numbers that year's released report shows for it
    (None where that report hides the group): respondents, theme means and their mean
    (see _group_row). Nothing is worked out from answers, so a hidden group stays
    hidden, and a group hidden in every year has no row."""
    ordered = [reports[y.round_id] for y in shown]
    trends = []
    for kind in TREND_KINDS:
        keys = sorted({g.key for r in ordered for g in r.groups if g.kind == kind})
        if keys:
            trends.append({"kind": kind,
                           "rows": [_group_row(kind, k, ordered, qset) for k in keys]})
    return trends


def _trend_charts(trends: list[dict], shown: list[results.YearScore], qset: QuestionSet,
                  lang: str) -> dict:
    """A line chart per kind of group over the shown years (from two years on)."""
    if len(shown) < 2:
        return {}
    return {t["kind"]: localised(charts.lines(
        [y.school_year for y in shown],
        [charts.Trace(group_label(t["kind"], row["key"]), [c["mean"] for c in row["years"]])
         for row in t["rows"]],
        qset.scale.minimum, qset.scale.maximum,
        _("%(set)s: mean over the themes", set=qset.title(lang)))) for t in trends}
