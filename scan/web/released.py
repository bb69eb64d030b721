"""The released report a page shows: which release of a round, read once from SQLite
and kept per worker, and the round's joint scores beside it.

Every view that shows results (the report, exports, sheets, the dossier, workshops,
the mirror) reads them here: the one place a page reaches scan.results for a
round's report. A closed round whose last answers no release shows is released
when first read."""

from __future__ import annotations

from flask import current_app

from scan import accounts, anonymised, highlights, joint, results, rounds
from scan.caches import Bounded
from scan.db import get_db
from scan.questions import QuestionSet
from scan.web.access import fail
from scan.web.context import question_catalogue, threshold
from scan.web.i18n import gettext as _

# Reports read from SQLite (scan.stored), kept per worker by the stored row's id
# (never reused: autoincrement) and the partners' current names. Bounded in entries
# and in the stored JSON's bytes (the objects take a few times that).
_reports = Bounded(entries=1024, max_bytes=8 * 2**20, size=lambda pair: pair[1])


def report_of(asked: QuestionSet, row: int | None, names: tuple,
              threshold: int) -> results.RoundReport:
    """The stored report of row (None: nothing released yet, an empty report)."""
    if row is None:
        return results.report(get_db(), None, asked, threshold)
    return _reports.get((current_app.config["DATABASE"], row, names),
                        lambda: results.load_report(get_db(), row, asked, dict(names)))[0]


def partner_names(round_id: int) -> tuple:
    """The partners of a round's partnership as they are named now: part of cache keys,
    so a renamed partner shows at once in every worker."""
    return tuple((str(r["id"]), r["name"]) for r in get_db().query(
        "select p.id, p.name from partner p join round r on r.partnership_id = p.partnership_id "
        "where r.id = ? order by p.id", [round_id]))


def latest_release(round_id: int) -> int | None:
    number = results.latest_number(get_db(), round_id)
    if _closed_unreleased(round_id, number is None):
        return _release_once(round_id)
    return number


def _closed_unreleased(round_id: int, never_released: bool) -> bool:
    """A closed round whose last answers no release shows: closed by a version before
    releases, or closed without its release (a worker stopped in between, before
    closing and releasing were one step); k or more people wait in it."""
    if get_db().execute("select status = 'closed' from round where id = ?",
                        [round_id]).fetchone() != (1,):
        return False
    return never_released or results.held_back(get_db(), round_id) >= int(
        current_app.config["ANONYMITY_THRESHOLD"])


def _release_once(round_id: int) -> int | None:
    """A closed round with answers no release shows: release them when first read (as
    `scan init-db` does for all of them), so its report is complete."""
    sets = rounds.round_sets(get_db(), question_catalogue(), round_id)
    results.publish(get_db(), round_id, sets, int(current_app.config["ANONYMITY_THRESHOLD"]))
    return results.latest_number(get_db(), round_id)


def release_of(round_id: int, qset: QuestionSet,
               names: tuple | None = None) -> tuple[QuestionSet, int | None, tuple]:
    """Which report a page of the round shows, without reading it: the set as the round
    asked it, the stored row of the latest release's report (stored now if it was not;
    None before the first release) and the partners' names as they are now (`names`,
    when the caller read them already for another round of the partnership)."""
    asked = {s.id: s for s in rounds.round_sets(get_db(), question_catalogue(), round_id)}
    asked = asked.get(qset.id, qset)
    names = partner_names(round_id) if names is None else names
    release = latest_release(round_id)
    threshold = int(current_app.config["ANONYMITY_THRESHOLD"])
    row = (None if release is None
           else results.report_row(get_db(), round_id, release, asked, threshold))
    return asked, row, names


def report_for(round_id: int, qset: QuestionSet) -> results.RoundReport:
    """The latest release's report: the one place every view reads results from."""
    asked, row, names = release_of(round_id, qset)
    return report_of(asked, row, names, int(current_app.config["ANONYMITY_THRESHOLD"]))


def previous_release(pid: int, rid: int, qset: QuestionSet,
                     names: tuple) -> tuple[dict, QuestionSet, int | None] | None:
    """The last round before this one (by school year) that asked the set, with the
    stored row of its latest release: what "since last year" compares with."""
    asked = [r for r in reversed(rounds.rounds(get_db(), pid))
             if qset.id in (r["sets"] or "").split(", ")]
    here = next((n for n, r in enumerate(asked) if r["id"] == rid), 0)
    if here == 0:
        return None
    before = asked[here - 1]
    each, row, _names = release_of(before["id"], qset, names)
    return before, each, row


def highlights_of(pid: int, the_round: dict, report: results.RoundReport,
                  previous: tuple[dict, QuestionSet, int | None] | None):
    """What stands out in the report (scan.highlights), with last year's report read
    through the same stored release as every view."""
    earlier = None
    if previous is not None:
        before, each, row = previous
        earlier = (before, report_of(each, row, partner_names(before["id"]),
                                      int(current_app.config["ANONYMITY_THRESHOLD"])))
    return highlights.highlights(report, earlier, the_round)


def round_and_set(pid: int, rid: int, set_id: str) -> tuple[dict, QuestionSet]:
    """The round (of this partnership) and one of its sets, or 404."""
    the_round = rounds.round_of(get_db(), pid, rid)
    if the_round is None:
        fail(404, _("This scan round does not exist in this partnership."))
    sets = {s.id: s for s in rounds.round_sets(get_db(), question_catalogue(), rid)}
    if set_id not in sets:
        fail(404, _("This round did not ask this question set."))
    return the_round, sets[set_id]


def joint_scores(pid: int, rid: int, qset: QuestionSet) -> tuple[anonymised.JointScore, ...]:
    """The joint scores agreed for a round's set in this partnership's sessions.

    Agreements change apart from releases: the tuple is part of the report's
    cache key, so a new or changed agreement shows at once.
    """
    agreed = joint.agreed_scores(get_db(), rid, qset.id)
    if not agreed:
        return ()
    ours = {row[0] for row in get_db().execute(
        "select id from workshop where partnership_id = ?", [pid])}
    return anonymised.joint_scores({d: r for d, r in agreed.items() if r["workshop_id"] in ours},
                                   qset)


def release_results(rid: int) -> int | None:
    """Release the round's new answers if enough people sent them in (scan.releases)."""
    db = get_db()
    sets = rounds.round_sets(db, question_catalogue(), rid)
    number = results.publish(db, rid, sets, threshold())
    if number:
        partnership = rounds.partnership_of(db, rid)
        accounts.record(db, "results released", None, partnership,
                        f"round {rid}, release {number}")
    return number
