"""Managing scan rounds: open one, hand out its group links, watch the response, close it."""

from __future__ import annotations

import re
import sqlite3
import time
from datetime import date

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user, login_required

from scan import accounts, mail, partners, personal, reminders, results, roles, rounds
from scan.database import immediate
from scan.db import get_db
from scan.exports import csv_text
from scan.qr import SVG_TYPE
from scan.qr import svg as qr_svg
from scan.questions import for_respondent, minutes_to_answer
from scan.web.access import confirmed, fail, member_of
from scan.web.context import question_catalogue, threshold
from scan.web.forms import ActionForm, ClosingDateForm, RoundForm, choices
from scan.web.i18n import gettext as _
from scan.web.i18n import ngettext
from scan.web.labels import PARTNER_TYPES, RESPONDENT_ROLES, at_least
from scan.web.mailing import outbox_folder
from scan.web.released import release_results

bp = Blueprint("rounds", __name__, url_prefix="/p/<int:pid>/rounds")
# ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
WHOLE_NUMBER = re.compile(r"[0-9]{1,7}")


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


def link_url(token: str) -> str:
    return url_for("respond.landing", token=token, _external=True)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(pid: int):
    partnership = member_of(pid, "coordinator")
    db = get_db()
    sets = question_catalogue().sets
    lang = str(get_locale())
    offered = _offered_partners(pid)
    pairs = roles.combinations(offered, roles.roles_by_type(db, pid))
    form = RoundForm()
    form.sets.choices = choices((s.id, s.title(lang)) for s in sets.values())
    form.links.choices = choices((_pair_key(p, r), str(RESPONDENT_ROLES.get(r, r)))
                                 for p, r in pairs)
    if not form.is_submitted():
        form.links.data = [c.value for c in form.links.choices]
        form.school_year.data = rounds.school_year_of(date.today())
    if form.validate_on_submit():
        return _open_round(pid, partnership, form, [sets[s] for s in form.sets.data],
                           {_pair_key(p, r): (p, r) for p, r in pairs})
    status = 400 if form.is_submitted() else 200
    return _new_form(partnership, form, offered), status


def _new_form(partnership: dict, form: RoundForm, offered: list[dict]) -> str:
    """The form, its links grouped by partner: at 1,000 partners the template walks
    each partner's own few links, not every link for every partner."""
    ticked = set(form.links.data or ())
    by_partner: dict[str, list] = {}
    for choice in form.links.choices:
        by_partner.setdefault(choice.value.split(":")[0], []).append(
            (choice.value, choice.label, choice.value in ticked))
    lang = str(get_locale())
    cards = [set_card(s, lang) for s in question_catalogue().sets.values()]
    return render_template("rounds/new.html", partnership=partnership, form=form,
                           partners=offered, roles=RESPONDENT_ROLES, cards=cards,
                           chosen_sets=set(form.sets.data or ()),
                           links_of={int(p): links for p, links in by_partner.items()})


def set_card(qset, lang: str) -> dict:
    """What a coordinator chooses a set on: its audience, statements per role, the time
    it takes (the range for a role asked every statement) and its statements."""
    per_role = [(RESPONDENT_ROLES.get(r, r), len(qset.for_role(r).items))
                for r in RESPONDENT_ROLES]
    return {"set": qset, "per_role": [(name, n) for name, n in per_role if n],
            "minutes": minutes_to_answer([qset], lang)}


def _open_round(pid: int, partnership: dict, form: RoundForm, chosen: list, pairs: dict):
    """Open the round with the chosen links, leaving out roles the chosen sets ask nothing."""
    db = get_db()
    asked = _roles_asked(chosen)
    wanted = [pairs[key] for key in form.links.data]
    skipped = sorted({r for _p, r in wanted if r not in asked})
    if not any(r in asked for _p, r in wanted):
        form.links.errors.append(_("The chosen question sets ask none of the chosen roles "
                                   "anything. Choose other roles or other sets."))
        return _new_form(partnership, form, _offered_partners(pid)), 400
    # The school year shows beside every title already; it is not repeated in it.
    title = form.title.data.strip() or _("Self-scan")
    try:
        rid = rounds.create_round(db, pid, form.school_year.data, title, chosen,
                                  pairs=[(p, r) for p, r in wanted if r in asked],
                                  expected=form.expected.data)
    except rounds.DuplicateRound:
        form.title.errors.append(_("This school year already has a round with this title. "
                                   "Open that round, or choose another title."))
        return _new_form(partnership, form, _offered_partners(pid)), 409
    if form.closes_on.data:
        rounds.set_closing_date(db, rid, form.closes_on.data.isoformat())
    accounts.record(db, "round opened", current_user.id, pid, f"round {rid}: {title}")
    flash(_("Scan round opened. Share the group links below."), "success")
    if skipped:
        flash(_("No links for: %(roles)s. The chosen question sets ask them nothing.",
                roles=", ".join(str(RESPONDENT_ROLES.get(r, r)) for r in skipped)), "warning")
    return redirect(url_for(".show", pid=pid, rid=rid))


def _offered_partners(pid: int) -> list[dict]:
    """The partners a new round or new link can use: archived partners are left out."""
    return partners.active_partners(get_db(), pid)


# Partners per page of the round page: a partnership of 1,000 partners and 8,000
# links reads in pages of 25 partners, each with its roles (docs/performance.md).
PARTNERS_PER_PAGE = 25
# Missing partner × role pairs offered at once; added ones make room for the next.
MISSING_SHOWN = 60


@bp.get("/<int:rid>")
@login_required
def show(pid: int, rid: int):
    partnership = member_of(pid)
    db = get_db()
    the_round = _round_or_404(pid, rid)
    links = rounds.links(db, rid)
    sets = rounds.round_sets(db, question_catalogue(), rid)
    coordinator = g.role == "coordinator"
    k = threshold()
    grouped = rounds.by_partner(links, k)
    page, pages = _page_of(len(grouped))
    offered = _offered_partners(pid)
    missing = (_missing_pairs(pid, offered, links, sets)
               if coordinator and the_round["status"] == "open" else [])
    names = {p["id"]: p["name"] for p in offered}
    return render_template("rounds/show.html", partnership=partnership, round=the_round,
                           partners=grouped[(page - 1) * PARTNERS_PER_PAGE:
                                            page * PARTNERS_PER_PAGE],
                           page=page, pages=pages, total_partners=len(grouped),
                           per_page=PARTNERS_PER_PAGE,
                           link_count=len(links), link_url=link_url, sets=sets,
                           most=max((x["completed"] for x in grouped), default=0),
                           started=sum(x["started"] for x in links),
                           completed=sum(x["completed"] for x in links),
                           action_form=ActionForm(), k=k,
                           release=results.latest(db, rid),
                           held_back=results.held_back(db, rid),
                           padding=results.padding(db, rid),
                           unnumbered=sum(1 for x in links if x["invited"] is None),
                           busy=rounds.busy(db, rid) if coordinator else 0,
                           rate=rounds.response_rate(links, k),
                           missing_count=len(missing),
                           personal=personal.counts(db, rid) if coordinator else {},
                           failed=mail.failed(db, pid, rid) if coordinator else [],
                           missing=[(_pair_key(p, r), names[p], RESPONDENT_ROLES.get(r, r))
                                    for p, r in missing[:MISSING_SHOWN]])


def _page_of(count: int) -> tuple[int, int]:
    """The page of partners asked for (?page=N or ?page=last) and the number of pages;
    a page that does not exist is a 404 with a way back."""
    pages = max(1, -(-count // PARTNERS_PER_PAGE))
    asked = request.args.get("page", "1")
    if asked == "last":
        return pages, pages
    if not WHOLE_NUMBER.fullmatch(asked) or not 1 <= int(asked) <= pages:
        fail(404, _("This page of the round does not exist. Go back to its first page."))
    return int(asked), pages


@bp.get("/<int:rid>/status/<any(open, closed):status>")
@login_required
def confirm_status(pid: int, rid: int, status: str):
    """What closing or reopening will do, before it is done: one more click."""
    partnership = member_of(pid, "coordinator")
    the_round = _round_or_404(pid, rid)
    if the_round["status"] == status:
        return redirect(url_for(".show", pid=pid, rid=rid))
    db = get_db()
    links = rounds.links(db, rid)
    return render_template("rounds/confirm_status.html", partnership=partnership,
                           round=the_round, status=status, action_form=ActionForm(),
                           k=threshold(), busy=rounds.busy(db, rid),
                           held_back=results.held_back(db, rid),
                           release=results.latest(db, rid),
                           active_links=sum(1 for x in links if x["active"]))


@bp.get("/<int:rid>/links/<int:lid>/reminder")
@login_required
def reminder(pid: int, rid: int, lid: int):
    """A ready reminder for one group link, in Dutch and English, to copy or mail."""
    partnership = member_of(pid, "coordinator")
    the_round = _round_or_404(pid, rid)
    link = rounds.link(get_db(), rid, lid)
    if link is None:
        fail(404, _("This group link does not exist in this round."))
    texts = {lang: reminders.text(lang, partnership["name"], the_round, link_url(link["token"]))
             for lang in ("nl", "en")}
    return render_template("rounds/reminder.html", partnership=partnership, round=the_round,
                           link=link, texts=texts, mailto={
                               lang: reminders.mailto(*text) for lang, text in texts.items()})


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
    accounts.record(get_db(), "export downloaded", current_user.id, pid, filename)
    return Response(csv_text(header, rows, str(get_locale())), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


@bp.get("/<int:rid>/links/<int:lid>/qr.svg")
@login_required
def link_qr(pid: int, rid: int, lid: int):
    member_of(pid, "coordinator")
    _round_or_404(pid, rid)
    link = rounds.link(get_db(), rid, lid)
    if link is None:
        fail(404, _("This group link does not exist in this round."))
    return Response(qr_svg(link_url(link["token"]), scale=4), mimetype=SVG_TYPE,
                    headers={"Cache-Control": "private, max-age=3600"})


PRINT_PAGE = 48   # QR codes per printed sheet page: bounded work per request


@bp.get("/<int:rid>/links/print")
@login_required
def print_links(pid: int, rid: int):
    partnership = member_of(pid, "coordinator")
    the_round = _round_or_404(pid, rid)
    every = rounds.links(get_db(), rid)
    pages = max(1, -(-len(every) // PRINT_PAGE))
    page = request.args.get("page", "1")
    if not WHOLE_NUMBER.fullmatch(page) or not 1 <= int(page) <= pages:
        fail(404, _("This page of QR codes does not exist."))
    page = int(page)
    shown = every[(page - 1) * PRINT_PAGE:page * PRINT_PAGE]
    qr = {x["id"]: qr_svg(link_url(x["token"]), scale=3) for x in shown}
    accounts.record(get_db(), "print sheet", current_user.id, pid,
                    f"round {rid}: group links, page {page} of {pages}")
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
    db = get_db()
    busy = rounds.busy(db, rid)
    # Closing and releasing are one transaction: a worker stopped in between leaves the
    # round open as it was, never closed without its results.
    with immediate(db):
        rounds.set_status(db, rid, status)
        accounts.record(db, "round closed" if status == "closed" else "round reopened",
                        current_user.id, pid, f"round {rid}")
        released = release_results(rid) if status == "closed" else None
    if status == "closed":
        forget_outbox_files(rid)
    if status == "open":
        flash(_("The round is open again."), "success")
        return redirect(url_for(".show", pid=pid, rid=rid))
    if released:
        flash(_("The round is closed; its links no longer take answers. The results are "
                "released."), "success")
    else:
        flash(_("The round is closed; its links no longer take answers. No new results are "
                "released: fewer than %(k)d new people gave answers.", k=threshold()), "warning")
    if busy:
        flash(ngettext("%(num)d person had started and not sent in; their answers do not "
                       "count. Reopen the round to let them finish.",
                       "%(num)d people had started and not sent in; their answers do not "
                       "count. Reopen the round to let them finish.", busy), "warning")
    return redirect(url_for(".show", pid=pid, rid=rid))


# Closing dates are checked at most once a minute per worker, at the first
# request after that; no scheduler needed, and a restart loses nothing.
SWEEP_SECONDS = 60


def close_due_rounds() -> None:
    """Close every open round whose closing date has passed, and release its results."""
    now = time.monotonic()
    if now - current_app.extensions.get("samenscan.swept", float("-inf")) < SWEEP_SECONDS:
        return
    current_app.extensions["samenscan.swept"] = now
    db, today = get_db(), date.today().isoformat()
    for rid in rounds.due_for_closing(db, today):
        try:
            with immediate(db):   # closed and released together, or neither
                if not rounds.close_when_due(db, rid, today):
                    continue
                accounts.record(db, "round closed", None, rounds.partnership_of(db, rid),
                                f"round {rid}: closing date")
                release_results(rid)
            forget_outbox_files(rid)
        except sqlite3.OperationalError:
            # Whoever's request this is must not fail for it: the round stays open
            # and the next sweep closes it.
            current_app.logger.exception("closing round %s after its closing date", rid)


@bp.post("/<int:rid>/closing-date")
@login_required
def closing_date(pid: int, rid: int):
    """Set, move or clear the day after which the round closes itself."""
    the_round = _coordinating(pid, rid)
    if the_round["status"] != "open":
        fail(409, _("This round is closed. Reopen it first to give it a new closing date."))
    form = ClosingDateForm()
    if not form.validate():
        fail(400, " ".join(map(str, form.closes_on.errors))
             or _("Give the closing date as a date, for example 2026-12-18."))
    day = form.closes_on.data.isoformat() if form.closes_on.data else None
    rounds.set_closing_date(get_db(), rid, day)
    accounts.record(get_db(), "closing date", current_user.id, pid, f"round {rid}: {day or '-'}")
    flash(_("Saved."), "success")
    return redirect(url_for(".show", pid=pid, rid=rid))


@bp.post("/<int:rid>/links/<int:lid>/<any(on, off):state>")
@login_required
def link_state(pid: int, rid: int, lid: int, state: str):
    """Switch a group link off (it starts no new questionnaires) or on again."""
    _coordinating(pid, rid)
    if rounds.link(get_db(), rid, lid) is None:
        fail(404, _("This group link does not exist in this round."))
    rounds.set_link_active(get_db(), rid, lid, state == "on")
    accounts.record(get_db(), f"link {state}", current_user.id, pid, f"round {rid}, link {lid}")
    flash(_("Saved."), "success")
    return redirect(url_for(".show", pid=pid, rid=rid, _anchor="links"))


@bp.post("/<int:rid>/links/add")
@login_required
def add_links(pid: int, rid: int):
    """Add group links to an open round: partner × role pairs it does not have yet."""
    the_round = _coordinating(pid, rid)
    if the_round["status"] != "open":
        fail(409, _("This round is closed. Reopen it first to add group links."))
    wanted = request.form.getlist("link")
    db = get_db()
    missing = _missing_pairs(pid, _offered_partners(pid), rounds.links(db, rid),
                             rounds.round_sets(db, question_catalogue(), rid))
    allowed = {_pair_key(p, r): (p, r) for p, r in missing}
    if not wanted or any(w not in allowed for w in wanted) or len(wanted) > len(allowed):
        fail(400, _("Choose one or more of the partner and role combinations offered."))
    expected = _expected_number(request.form.get("expected"))
    rounds.add_pairs(get_db(), rid, [allowed[w] for w in dict.fromkeys(wanted)], expected)
    accounts.record(get_db(), "links added", current_user.id, pid,
                    f"round {rid}: {', '.join(wanted)}; expected {expected}")
    flash(ngettext("%(num)d group link added.", "%(num)d group links added.",
                   len(set(wanted))), "success")
    return redirect(url_for(".show", pid=pid, rid=rid, _anchor="links"))


def _expected_number(text: str | None) -> int:
    """The people a new group link expects: required, so no link counts questionnaires
    anyone could fill in from fresh browsers (docs/privacy.md, "who counts")."""
    text = (text or "").strip()
    if not (WHOLE_NUMBER.fullmatch(text) and 1 <= int(text) <= 100_000):
        fail(400, _("Fill in how many people each new link expects, as a whole number "
                    "from 1 to 100,000. No link was added."))
    return int(text)


@bp.post("/<int:rid>/invited")
@login_required
def invited(pid: int, rid: int):
    """How many people the coordinator invited per link, for the response rate."""
    _coordinating(pid, rid)
    counts = {}
    # A link with personal invitations expects exactly the people invited.
    invited_personally = personal.counts(get_db(), rid)
    for link in rounds.links(get_db(), rid):
        # The round page is paged: a link whose field was not on the page keeps its number.
        if link["id"] in invited_personally or f"invited-{link['id']}" not in request.form:
            continue
        text = (request.form.get(f"invited-{link['id']}") or "").strip()
        if text and not (WHOLE_NUMBER.fullmatch(text) and 1 <= int(text) <= 100_000):
            fail(400, _("Give the number invited as a whole number from 1 to 100,000, or "
                        "leave it empty. Nothing was saved."))
        counts[link["id"]] = int(text) if text else None
    rounds.set_invited(get_db(), rid, counts)
    # The expected number decides who counts towards k (docs/privacy.md, rule 2).
    accounts.record(get_db(), "expected people", current_user.id, pid,
                    f"round {rid}: " + ", ".join(f"link {x}={n or '-'}"
                                                 for x, n in counts.items()))
    flash(_("Saved."), "success")
    return redirect(url_for(".show", pid=pid, rid=rid, _anchor="links"))


def forget_outbox_files(rid: int) -> None:
    """The round closed: its messages in the outbox folder go with its addresses (the
    database's part is done by scan.rounds)."""
    mail.forget_round_in_folder(outbox_folder(current_app), rid)


def _pair_key(partner_id: int, role: str) -> str:
    return f"{partner_id}:{role}"


def _missing_pairs(pid: int, offered: list[dict], links: list[dict],
                   sets: list) -> list[tuple[int, str]]:
    """Partner × role combinations that exist in the partnership and that the round's
    sets ask something, but that the round has no link for yet (a link switched off
    counts as there: it is switched on again instead)."""
    have = {(x["partner_id"], x["role"]) for x in links}
    asked = _roles_asked(sets)
    every = roles.combinations(offered, roles.roles_by_type(get_db(), pid))
    return [pair for pair in every if pair not in have and pair[1] in asked]


def _roles_asked(sets: list) -> set[str]:
    """The roles these sets ask at least one statement."""
    return {r for r in RESPONDENT_ROLES if for_respondent(sets, r, None)}


@bp.post("/<int:rid>/cap")
@login_required
def cap(pid: int, rid: int):
    """Cap the questionnaires one group link may start (empty: no cap)."""
    _coordinating(pid, rid)
    text = (request.form.get("cap") or "").strip()
    if text and not (WHOLE_NUMBER.fullmatch(text) and 1 <= int(text) <= 10_000):
        fail(400, _("Give a whole number from 1 to 10,000, or leave the field empty for no "
                    "cap."))
    rounds.set_cap(get_db(), rid, int(text) if text else None)
    accounts.record(get_db(), "link cap", current_user.id, pid, f"round {rid}: {text or '-'}")
    flash(_("Saved."), "success")
    return redirect(url_for(".show", pid=pid, rid=rid))


@bp.post("/<int:rid>/expected-cap/<any(on, off):state>")
@login_required
def expected_cap(pid: int, rid: int, state: str):
    """Keep group links to their expected number of people (the default), or lift that
    cap. Questionnaires beyond the expected number never count towards k either way."""
    _coordinating(pid, rid)
    rounds.set_cap_at_expected(get_db(), rid, state == "on")
    accounts.record(get_db(), "expected cap", current_user.id, pid, f"round {rid}: {state}")
    flash(_("Saved."), "success")
    return redirect(url_for(".show", pid=pid, rid=rid, _anchor="links"))


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
