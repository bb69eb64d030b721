"""Moments as the reader says them: "6 december 2026 14:05" in Dutch, "December 6,
2026 at 2:05 PM" in English, in Dutch time (Europe/Amsterdam).

The database stores UTC (SQLite's datetime('now')); every partnership works in the
Netherlands, so a coordinator reads the log in the time on their own clock, summer
or winter. The <time> element keeps the exact moment for machines.
"""

from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import format_date, format_time
from flask_babel import get_locale
from markupsafe import Markup, escape

from scan.audit import LOCAL
from scan.web.i18n import gettext as _


def local_time(stored: str) -> datetime:
    """A stored UTC moment ("2026-12-06 13:05:00", ISO with or without "T"/offset)."""
    moment = datetime.fromisoformat(str(stored).strip().replace(" ", "T", 1))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL)


def moment(stored) -> Markup:
    """A <time> with the local moment in words and in ISO 8601 with its offset."""
    if not stored:
        return Markup("")
    try:
        local = local_time(stored)
    except ValueError:
        return Markup(escape(stored))   # not a moment: shown as stored, never a 500
    lang = str(get_locale())
    text = _("%(day)s at %(time)s", day=format_date(local, "long", locale=lang),
             time=format_time(local, "short", locale=lang))
    return Markup('<time datetime="{}">{}</time>').format(
        local.isoformat(timespec="seconds"), text)
