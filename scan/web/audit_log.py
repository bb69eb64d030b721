"""Reading the audit log a page at a time, and writing refusals into it.

Both audit pages (the administrator's whole log, a partnership's own) show the
same table with the same filters; refused partnership and administrator pages
(403, 404) are counted into it from the error handler (scan.audit summarises
them per hour, so refusals cannot bury anything).
"""

from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask_login import current_user

from scan import accounts, audit
from scan.db import get_db

REFUSED = "access refused"


def _day(text: str) -> str:
    """A day to filter on, or "" (no bound) for text that is no date. Days at the ends
    of the calendar are no bound either: turning them into Dutch time, or the day after,
    would leave the years Python can count."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return ""
    return day.isoformat() if 1900 <= day.year <= 9998 else ""


def _filters() -> audit.Filters:
    args = request.args
    return audit.Filters(actor=args.get("actor", "").strip()[:200],
                         action=args.get("action", "").strip()[:100],
                         since=_day(args.get("since", "")), until=_day(args.get("until", "")))


def _page() -> int:
    text = request.args.get("page", "1")
    return min(int(text), 10**6) if text.isdigit() and int(text) > 0 else 1


def render_log(partnership: dict | None):
    """The audit page: the administrator's (partnership None) or one partnership's."""
    db = get_db()
    pid = partnership["id"] if partnership else None
    filters, page = _filters(), _page()
    entries, more = audit.entries(db, pid, filters, page)
    return render_template("admin/audit.html", partnership=partnership, entries=entries,
                           filters=filters, page=page, more=more,
                           actions=audit.actions(db, pid))


def record_refusal(code: int) -> None:
    """A 403 or 404 on a partnership's or the administrator's pages, in the log."""
    if code not in (403, 404) or not current_user.is_authenticated:
        return
    path = request.path
    if not (path.startswith("/p/") or path.startswith("/admin")):
        return
    # Only a partnership the person belongs to gets the line in its own log
    # (a stranger's 404 goes to the administrator's log alone).
    db = get_db()
    pid = (request.view_args or {}).get("pid")
    if pid is None or accounts.role_in(db, current_user.id, pid) is None:
        pid = None
    audit.record_summarised(db, REFUSED, current_user.id, pid, f"{code} {path}"[:120])
