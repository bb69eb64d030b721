"""Whole pages kept per worker while nothing they show changes.

Reading a report again costs mostly its page around the results: the layout, the
menu, the cover, ~40 translated texts and ~15 addresses, rendered by Jinja on every
request (docs/performance.md). The route still does everything that decides what
the page shows (membership, the round, the release, the response per group link)
and passes all of it as the key; only rendering it again is skipped when a worker
rendered the same page before.

What differs per request although the key is the same is left out of the kept
page: the reader's CSRF token (a placeholder is rendered in its place and the
token put in on the way out), and messages flashed for the next page (a page
with one is never kept or served from here). The layout's own inputs are always
part of the key: language, role, whether the reader is an administrator, the
address asked for (the language switch links back to it), the address the app is
served under, the day (the printed cover carries it) and the app's build (its
code, templates and translations, as for scan.web.fragments).

A route may name a kept part by its own key rather than by its text (the report
names its body by the body's key): a part is the same for the same key, language
and role, so a page read again need not read its parts to know they are unchanged.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable
from datetime import date

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user

from scan.caches import Bounded
from scan.web.signed_cookies import TOKEN_FIELD, signed_token

# Rendered where the CSRF token goes; random per process, so no page text can hold it.
PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"


def kept_page(name: str, key: Hashable, render: Callable[[], str],
              keep: Callable[[str], bool] | None = None) -> str:
    """The page `render()` makes for this key, rendered once per worker until the
    key changes. `key` must name everything the page shows besides the layout.
    `keep(page)`: whether a page just rendered may be kept (default: yes)."""
    if not current_app.config["KEEP_RENDERED"] or session.get("_flashes"):
        return render()   # the benchmark's cold row renders every time, as it says
    token = signed_token()   # this reader's, stored in their session as ever
    full_key = (name, key, current_app.extensions["samenscan.build"], str(get_locale()),
                g.get("role"), current_user.is_authenticated,
                current_user.is_authenticated and current_user.is_admin, request.full_path,
                request.script_root, date.today().isoformat())

    def with_placeholder() -> str:
        setattr(g, TOKEN_FIELD, PLACEHOLDER)
        try:
            return str(render())
        finally:
            setattr(g, TOKEN_FIELD, token)

    cache = Bounded.of_app(current_app, "samenscan.pages", entries=64, max_bytes=8 * 2**20,
                           size=len)
    return cache.get(full_key, with_placeholder, keep=keep).replace(PLACEHOLDER, token)
