"""The peer-review dossier: per standard of a framework, the partnership's evidence over
the school years chosen, as a printable page, Markdown and Word; reflections per
standard; read-only links for a visiting review panel (scan.panels)."""

from __future__ import annotations

import re
from typing import NamedTuple

from flask import (
    Blueprint,
    Response,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user, login_required
from markupsafe import Markup

from scan import accounts, dossier, panels, rounds, workshops
from scan.db import get_db
from scan.dossier_word import document
from scan.questions import Framework
from scan.web.access import confirmed, fail, member_of
from scan.web.context import question_catalogue
from scan.web.forms import PanelLinkForm, ReflectionForm
from scan.web.i18n import gettext as _
from scan.web.i18n import render_both
from scan.web.labels import ACTION_STATUS
from scan.web.released import joint_scores, report_for

bp = Blueprint("dossier", __name__, url_prefix="/p/<int:pid>/dossier")


def framework_or_404(framework_id: str):
    found = question_catalogue().frameworks.get(framework_id)
    if found is None:
        fail(404, _("This framework does not exist."))
    return found


def _rounds_in(pid: int, years: list[str]) -> list[dict]:
    """The partnership's rounds in the chosen years, oldest first, with their sets."""
    catalogue = question_catalogue()
    chosen = [r for r in reversed(rounds.rounds(get_db(), pid)) if r["school_year"] in years]
    return [{**r, "sets": rounds.round_sets(get_db(), catalogue, r["id"])} for r in chosen]


def _actions(pid: int, dimensions: set[str]) -> list[dict]:
    db = get_db()
    return [{**a, "log": workshops.progress(db, pid, a["id"])}
            for a in workshops.actions(db, pid) if a["dimension_id"] in dimensions]


def years_asked(pid: int, asked: list[str]) -> tuple[list[str], list[str]]:
    """The partnership's school years and those asked for (400 for a year that is not
    the partnership's or not a school year)."""
    available = dossier.school_years(rounds.rounds(get_db(), pid))
    chosen = dossier.chosen_years(available, asked)
    if chosen is None:
        fail(400, _("Choose school years in which this partnership held a scan round."))
    return available, chosen


def build(pid: int, partnership: dict, framework, years: list[str]) -> dossier.Dossier:
    dimensions = {d for s in framework.standards for d in s.dimensions}
    return dossier.build(
        partnership["name"], framework, question_catalogue(), _rounds_in(pid, years),
        report_for, lambda rid, qset: joint_scores(pid, rid, qset),
        _actions(pid, dimensions), dossier.reflections(get_db(), pid, framework.id))


class Asked(NamedTuple):
    """The dossier a request asks for, with what its pages say around it."""

    partnership: dict
    framework: Framework
    available: list[str]
    years: list[str]
    dossier: dossier.Dossier


def asked(pid: int, framework_id: str, years: list[str], *roles: str) -> Asked:
    """Membership first (404 for anyone else, 403 without one of roles), then the
    framework, the school years, and the dossier built from them: the one way in for
    the page, its print, Markdown, Word and a panel's frozen copy."""
    partnership = member_of(pid, *roles)
    framework = framework_or_404(framework_id)
    available, chosen = years_asked(pid, years)
    return Asked(partnership, framework, available, chosen,
                 build(pid, partnership, framework, chosen))


def body(found: dossier.Dossier, editable: bool, pid: int | None = None) -> str:
    """The dossier's content: the page's, the print's and the panel's frozen copy."""
    return Markup(render_template("dossier/_body.html", dossier=found, editable=editable, pid=pid,
                           statuses=ACTION_STATUS, lang=str(get_locale()),
                                  form=ReflectionForm() if editable else None))


@bp.get("/")
@login_required
def index(pid: int):
    partnership = member_of(pid)
    frameworks = list(question_catalogue().frameworks.values())
    if len(frameworks) == 1:
        return redirect(url_for(".page", pid=pid, framework_id=frameworks[0].id))
    return render_template("dossier/index.html", partnership=partnership, frameworks=frameworks)


@bp.get("/<framework_id>")
@login_required
def page(pid: int, framework_id: str):
    found = asked(pid, framework_id, request.args.getlist("years"))
    editable = g.role == "coordinator"
    return render_template(
        "dossier/page.html", partnership=found.partnership, framework=found.framework,
        dossier=found.dossier, available=found.available, years=found.years,
        body=body(found.dossier, editable, pid), editable=editable,
        links=panels.links(get_db(), pid) if editable else [], panel_form=PanelLinkForm(),
        new_link=request.args.get("new_link"))


def _filename(framework_id: str, years: list[str], extension: str) -> str:
    span = f"{years[0]}-{years[-1][-4:]}" if years else "geen-jaren"
    return re.sub(r"[^a-z0-9.-]", "-", f"dossier-{framework_id}-{span}.{extension}")


WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(data: str | bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


@bp.get("/<framework_id>/dossier.md")
@login_required
def markdown(pid: int, framework_id: str):
    found = asked(pid, framework_id, request.args.getlist("years"))
    text = render_template("dossier/dossier.md", dossier=found.dossier, statuses=ACTION_STATUS,
                           lang=str(get_locale()))
    return _download(text, "text/markdown", _filename(framework_id, found.years, "md"))


def word_labels() -> dict[str, str]:
    """The Word document's fixed words, in the reader's language."""
    return {"dossier": _("Peer-review dossier"), "years": _("School years"),
            "theme": _("Theme"), "set": _("Question set"), "change": _("Change"),
            "released": _("Released results"), "respondents": _("people"),
            "not_shown": _("not shown"), "joint": _("Joint scores"),
            "evidence": _("Evidence"), "actions": _("Agreements and actions"),
            "progress": _("Progress"), "reflection": _("Reflection"),
            "no_reflection": _("No reflection written yet."),
            "no_results": _("No released results for this theme in these years."),
            "no_joint": _("No joint score agreed in these years."),
            "no_actions": _("No actions agreed for this theme."),
            "owner": _("Who"), "due": _("Due"), "session": _("Session"),
            "version": _("version"),
            "statuses": {k: str(v) for k, v in ACTION_STATUS.items()},
            "anonymity": _("Every result is a released result under the anonymity rules of the "
                           "reports: no number belongs to fewer people than the threshold.")}


@bp.get("/<framework_id>/dossier.docx")
@login_required
def word(pid: int, framework_id: str):
    found = asked(pid, framework_id, request.args.getlist("years"))
    data = document(found.dossier, str(get_locale()), word_labels())
    return _download(data, WORD_TYPE, _filename(framework_id, found.years, "docx"))


@bp.post("/<framework_id>/reflection/<standard_id>")
@login_required
def save_reflection(pid: int, framework_id: str, standard_id: str):
    member_of(pid, "coordinator")
    framework = framework_or_404(framework_id)
    if framework.standard(standard_id) is None:
        fail(404, _("This standard is not part of the framework."))
    form = ReflectionForm()
    if not form.validate_on_submit():
        fail(400, " ".join(str(e) for errors in form.errors.values() for e in errors))
    try:
        version = dossier.save_reflection(get_db(), pid, framework_id, standard_id,
                                          form.body.data or "", form.version.data or 0,
                                          current_user.id)
    except dossier.StaleReflection:
        fail(409, _("Someone saved this reflection after you opened it. Nothing was saved: "
                    "copy your text, reload the page and add it to the newest version."))
    flash(_("Reflection saved (version %(n)d).", n=version), "success")
    years = request.form.getlist("years")
    return redirect(url_for(".page", pid=pid, framework_id=framework_id, years=years)
                    + f"#standard-{standard_id}")


@bp.get("/<framework_id>/reflection/<standard_id>/history")
@login_required
def reflection_history(pid: int, framework_id: str, standard_id: str):
    partnership = member_of(pid)
    framework = framework_or_404(framework_id)
    standard = framework.standard(standard_id)
    if standard is None:
        fail(404, _("This standard is not part of the framework."))
    return render_template("dossier/history.html", partnership=partnership,
                           framework=framework, standard=standard,
                           versions=dossier.history(get_db(), pid, framework_id, standard_id))


@bp.post("/<framework_id>/panel")
@login_required
def new_panel_link(pid: int, framework_id: str):
    member_of(pid, "coordinator")   # before the form: others learn nothing from its errors
    framework_or_404(framework_id)
    form = PanelLinkForm()
    if not form.validate_on_submit():
        fail(400, " ".join(str(e) for errors in form.errors.values() for e in errors))
    found = asked(pid, framework_id, request.form.getlist("years"), "coordinator")
    years = found.years
    frozen = render_both(lambda: body(found.dossier, editable=False))
    token = panels.create(get_db(), pid, framework_id, years, frozen, form.days.data,
                          current_user.id)
    accounts.record(get_db(), "panel link created", current_user.id, pid,
                    f"{framework_id} {', '.join(years)}, {form.days.data} days")
    flash(_("Panel link made. Copy it now: it is shown only this once."), "success")
    return redirect(url_for(".page", pid=pid, framework_id=framework_id, years=years,
                            new_link=url_for("panel.view", token=token, _external=True)))


@bp.post("/<framework_id>/panel/<int:link_id>/revoke")
@login_required
def revoke_panel_link(pid: int, framework_id: str, link_id: int):
    member_of(pid, "coordinator")
    confirmed()
    if not panels.revoke(get_db(), pid, link_id):
        fail(404, _("This panel link does not exist in this partnership."))
    accounts.record(get_db(), "panel link revoked", current_user.id, pid, f"link {link_id}")
    flash(_("The panel link no longer works."), "success")
    return redirect(url_for(".page", pid=pid, framework_id=framework_id))
