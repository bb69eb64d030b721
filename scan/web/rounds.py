"""Managing scan rounds: open one, hand out its group links, watch the response, close it."""

from __future__ import annotations

from functools import lru_cache

import segno
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from scan import accounts, partners, releases, rounds
from scan.db import get_db
from scan.exports import csv_text
from scan.web import question_catalogue
from scan.web.access import confirmed, fail, member_of
from scan.web.forms import ActionForm, RoundForm, choices
from scan.web.labels import PARTNER_TYPES, RESPONDENT_ROLES, at_least

bp = Blueprint("rounds", __name__, url_prefix="/p/<int:pid>/rounds")


def _round_or_404(pid: int, rid: int) -> dict:
    found = rounds.round_of(get_db(), pid, rid)
    if found is None:
        fail(404, _("This scan round does not exist in this partnership."))
    return found


def _coordinating(pid: int, rid: int) -> dict:
    """The round, for a coordinator's one-click change with an intact form; else 4xx."""
    member_of(pid, "coordinator")
    found = _round_or_404(pid, rid)
    confirmed()
    return found


def threshold() -> int:
    return int(current_app.config["ANONYMITY_THRESHOLD"])


def release_results(rid: int) -> int | None:
    """Release the round's new answers if enough people sent them in (scan.releases)."""
    db = get_db()
    sets = rounds.round_sets(db, question_catalogue(), rid)
    number = releases.release(db, rid, sets, threshold())
    if number:
        partnership = db.execute("select partnership_id from round where id = ?",
                                 [rid]).fetchone()[0]
        accounts.record(db, "results released", None, partnership,
                        f"round {rid}, release {number}")
    return number


def link_url(token: str) -> str:
    return url_for("respond.landing", token=token, _external=True)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(pid: int):
    partnership = member_of(pid, "coordinator")
    db = get_db()
    sets = question_catalogue().sets
    form = RoundForm()
    form.sets.choices = choices((s.id, s.title) for s in sets.values())
    form.partners.choices = choices((p["id"], p["name"]) for p in partners.partners(db, pid))
    if not form.is_submitted():
        form.roles.data = list(RESPONDENT_ROLES)
        form.partners.data = [c.value for c in form.partners.choices]
    if form.validate_on_submit():
        title = form.title.data.strip() or _("Self-scan %(year)s", year=form.school_year.data)
        try:
            rid = rounds.create_round(db, pid, form.school_year.data, title,
                                      [sets[s] for s in form.sets.data], form.partners.data,
                                      form.roles.data)
        except rounds.DuplicateRound:
            form.title.errors.append(_("This school year already has a round with this title. "
                                       "Open that round, or choose another title."))
            return render_template("rounds/new.html", partnership=partnership, form=form), 409
        accounts.record(db, "round opened", current_user.id, pid, f"round {rid}: {title}")
        flash(_("Scan round opened. Share the group links below."), "success")
        return redirect(url_for(".show", pid=pid, rid=rid))
    status = 400 if form.is_submitted() else 200
    return render_template("rounds/new.html", partnership=partnership, form=form), status


@bp.get("/<int:rid>")
@login_required
def show(pid: int, rid: int):
    partnership = member_of(pid)
    db = get_db()
    the_round = _round_or_404(pid, rid)
    return render_template("rounds/show.html", partnership=partnership, round=the_round,
                           links=rounds.links(db, rid), link_url=link_url,
                           sets=rounds.round_sets(db, question_catalogue(), rid),
                           action_form=ActionForm(), k=threshold(),
                           release=releases.latest(db, rid),
                           held_back=releases.held_back(db, rid),
                           padding=rounds.padding(db, rid))


@bp.get("/<int:rid>/links.csv")
@login_required
def links_csv(pid: int, rid: int):
    member_of(pid, "coordinator")
    the_round = _round_or_404(pid, rid)
    header = [_("Partner"), _("Type"), _("Sector"), _("Role"), _("Link"), _("Started"),
              _("Completed")]
    k = threshold()
    rows = [(x["partner"], str(PARTNER_TYPES[x["partner_type"]]), x["sector"],
             str(RESPONDENT_ROLES.get(x["role"], x["role"])), link_url(x["token"]),
             at_least(x["started"], k), at_least(x["completed"], k))
            for x in rounds.links(get_db(), rid)]
    filename = f"samenscan-links-{the_round['school_year']}-{rid}.csv"
    return Response(csv_text(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


@bp.get("/<int:rid>/links/<int:lid>/qr.svg")
@login_required
def link_qr(pid: int, rid: int, lid: int):
    member_of(pid, "coordinator")
    _round_or_404(pid, rid)
    link = rounds.link(get_db(), rid, lid)
    if link is None:
        fail(404, _("This group link does not exist in this round."))
    svg = segno.make(link_url(link["token"]), error="m").svg_inline(scale=4, border=2)
    return Response(svg, mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=3600"})


PRINT_PAGE = 48   # QR codes per printed sheet page: bounded work per request


@lru_cache(maxsize=4096)
def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3)


@bp.get("/<int:rid>/links/print")
@login_required
def print_links(pid: int, rid: int):
    partnership = member_of(pid, "coordinator")
    the_round = _round_or_404(pid, rid)
    every = rounds.links(get_db(), rid)
    pages = max(1, -(-len(every) // PRINT_PAGE))
    page = request.args.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= pages:
        fail(404, _("This page of QR codes does not exist."))
    page = int(page)
    shown = every[(page - 1) * PRINT_PAGE:page * PRINT_PAGE]
    qr = {x["id"]: _qr_svg(link_url(x["token"])) for x in shown}
    return render_template("rounds/print_links.html", partnership=partnership,
                           round=the_round, links=shown, qr=qr, page=page, pages=pages,
                           link_url=link_url, roles=RESPONDENT_ROLES)


@bp.post("/<int:rid>/status/<status>")
@login_required
def set_status(pid: int, rid: int, status: str):
    member_of(pid, "coordinator")
    _round_or_404(pid, rid)
    if status not in ("open", "closed"):
        fail(404, _("Unknown status."))
    confirmed()
    rounds.set_status(get_db(), rid, status)
    accounts.record(get_db(), "round closed" if status == "closed" else "round reopened",
                    current_user.id, pid, f"round {rid}")
    if status == "open":
        flash(_("The round is open again."), "success")
    elif release_results(rid):
        flash(_("The round is closed; its links no longer take answers. The results are "
                "released."), "success")
    else:
        flash(_("The round is closed; its links no longer take answers. No new results are "
                "released: fewer than %(k)d new people gave answers.", k=threshold()), "warning")
    return redirect(url_for(".show", pid=pid, rid=rid))


@bp.post("/<int:rid>/cap")
@login_required
def cap(pid: int, rid: int):
    """Cap the questionnaires one group link may start (empty: no cap)."""
    _coordinating(pid, rid)
    text = (request.form.get("cap") or "").strip()
    if text and not (text.isdigit() and 1 <= int(text) <= 10_000):
        fail(400, _("Give a whole number from 1 to 10,000, or leave the field empty for no "
                    "cap."))
    rounds.set_cap(get_db(), rid, int(text) if text else None)
    accounts.record(get_db(), "link cap", current_user.id, pid, f"round {rid}: {text or '-'}")
    flash(_("Saved."), "success")
    return redirect(url_for(".show", pid=pid, rid=rid))


@bp.post("/<int:rid>/results")
@login_required
def results_mode(pid: int, rid: int):
    """Results after closing (the default) or interim results in steps of k people."""
    _coordinating(pid, rid)
    mode = request.form.get("mode")
    if mode not in ("closed", "interim"):
        fail(400, _("Choose when results appear: after closing, or in interim steps."))
    rounds.set_results_mode(get_db(), rid, mode)
    accounts.record(get_db(), "results mode", current_user.id, pid, f"round {rid}: {mode}")
    if mode == "interim":
        release_results(rid)
        flash(_("Interim results are on: they are updated each time at least %(k)d more "
                "people have sent in answers.", k=threshold()), "success")
    else:
        flash(_("Results now appear only when the round closes. Results already released "
                "stay visible."), "success")
    return redirect(url_for(".show", pid=pid, rid=rid))
