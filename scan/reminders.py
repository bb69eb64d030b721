"""A reminder a coordinator sends from their own mail program: no mail server needed.

The text names the partnership, the round, the link and the closing date, in
the language of the people it goes to (the coordinator picks Dutch or English).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from babel.dates import format_date

_SUBJECT = {
    "nl": "Herinnering: vul de zelfscan van {partnership} in",
    "en": "Reminder: please fill in the self-scan of {partnership}",
}
_BODY = {
    "nl": ("Hallo,\n\nOns partnerschap {partnership} doet mee aan de scan '{title}' "
           "({year}). Heb je hem nog niet ingevuld? Dat kan via deze link:\n\n{url}\n\n"
           "{closing}Je antwoorden blijven anoniem: de resultaten tonen alleen groepen. "
           "Ben je halverwege gestopt? Met je persoonlijke link ga je verder waar je "
           "was.\n\nAlvast bedankt!"),
    "en": ("Hello,\n\nOur partnership {partnership} is running the scan '{title}' "
           "({year}). Have you not filled it in yet? You can do so through this link:\n\n"
           "{url}\n\n{closing}Your answers stay anonymous: results only show groups. "
           "Stopped halfway? Your personal resume link takes you back to where you were."
           "\n\nThank you!"),
}
_CLOSING = {
    "nl": "De scan sluit na {day}.\n\n",
    "en": "The scan closes after {day}.\n\n",
}


def text(lang: str, partnership: str, the_round: dict, url: str) -> tuple[str, str]:
    """(subject, body) of the reminder for one group link."""
    closing = ""
    if the_round.get("closes_on"):
        day = format_date(date.fromisoformat(the_round["closes_on"]), "long", locale=lang)
        closing = _CLOSING[lang].format(day=day)
    subject = _SUBJECT[lang].format(partnership=partnership)
    body = _BODY[lang].format(partnership=partnership, title=the_round["title"],
                              year=the_round["school_year"], url=url, closing=closing)
    return subject, body


def mailto(subject: str, body: str) -> str:
    """A mailto: address that opens the mail program with this subject and text and
    no recipient: the coordinator adds their own list."""
    return f"mailto:?subject={quote(subject)}&body={quote(body)}"
