"""The benchmark page: a partnership's theme means beside the quartiles of other
partnerships that released the same set in the same school year (scan.benchmark),
and the coordinator's choice to take part, per set."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from scan import accounts, benchmark, charts, rounds
from scan.db import get_db
from scan.web.access import confirmed, fail, member_of
from scan.web.context import PLOTLY_URL, question_catalogue
from scan.web.i18n import gettext as _

bp = Blueprint("benchmark", __name__, url_prefix="/p/<int:pid>/benchmark")


def _threshold() -> int:
    return int(current_app.config["ANONYMITY_THRESHOLD"])


def _closed_years(pid: int, set_id: str) -> dict[str, int]:
    """School year -> the partnership's latest closed round in it that asked the set."""
    found = {}
    for r in reversed(rounds.rounds(get_db(), pid)):
        if r["status"] == "closed" and set_id in (r["sets"] or "").split(", "):
            found[r["school_year"]] = r["id"]
    return found


@bp.get("/")
@login_required
def index(pid: int):
    partnership = member_of(pid)
    sets = rounds.sets_used(get_db(), question_catalogue(), pid)
    return render_template("benchmark/index.html", partnership=partnership, sets=sets,
                           chosen=benchmark.opted_in(get_db(), pid),
                           years={s.id: sorted(_closed_years(pid, s.id), reverse=True)
                                  for s in sets},
                           minimum=benchmark.MIN_PARTNERSHIPS)


@bp.post("/<set_id>/<any(on, off):state>")
@login_required
def choose(pid: int, set_id: str, state: str):
    member_of(pid, "coordinator")
    confirmed()
    if set_id not in question_catalogue().sets:
        fail(404, _("This question set does not exist."))
    benchmark.set_choice(get_db(), pid, set_id, state == "on")
    accounts.record(get_db(), f"benchmark {state}", current_user.id, pid, set_id)
    flash(_("Your partnership takes part in the benchmark of this set.") if state == "on"
          else _("Your partnership no longer takes part in the benchmark of this set. "
                 "Benchmarks already published stay as they are."), "success")
    return redirect(url_for(".index", pid=pid))


@bp.get("/<set_id>/<school_year>")
@login_required
def year(pid: int, set_id: str, school_year: str):
    partnership = member_of(pid)
    qset = question_catalogue().sets.get(set_id)
    if qset is None:
        fail(404, _("This question set does not exist."))
    round_id = _closed_years(pid, set_id).get(school_year)
    if round_id is None:
        fail(404, _("Your partnership has no closed scan round of this set in that school "
                    "year."))
    context = {"partnership": partnership, "set": qset, "school_year": school_year,
               "minimum": benchmark.MIN_PARTNERSHIPS, "themes": None}
    if set_id not in benchmark.opted_in(get_db(), pid):
        return render_template("benchmark/year.html", reason="not_in", **context)
    own = benchmark.released(get_db(), question_catalogue(), _threshold(), round_id, pid,
                             set_id)
    if own is None:
        return render_template("benchmark/year.html", reason="not_released", **context)
    version, mine = own
    benchmark.publish_due(get_db(), question_catalogue(), _threshold(), set_id, school_year,
                          date.today())
    published = benchmark.publication(get_db(), set_id, school_year, version)
    if published is None:
        return render_template("benchmark/year.html", reason="not_yet", **context)
    excluded = {m["id"] for m in accounts.memberships(get_db(), current_user.id)}
    themes = benchmark.view(published, [d.id for d in qset.dimensions], mine.means, excluded)
    return render_template("benchmark/year.html", reason=None, plotly_url=PLOTLY_URL,
                           figure=_figure(qset, themes),
                           **{**context, "themes": themes, "published": published})


def _figure(qset, themes: list[benchmark.ThemeBenchmark]) -> dict:
    lang = str(get_locale())
    return charts.benchmark(
        [qset.dimension(t.dimension_id).title(lang) for t in themes],
        [t.quartiles for t in themes], [t.own for t in themes], qset.scale.minimum,
        qset.scale.maximum, _("%(set)s: your mean among the others", set=qset.title(lang)),
        (_("Middle half of the others"), _("Median of the others"), _("Your mean")))
