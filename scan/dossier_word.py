"""The peer-review dossier as a Word document (python-docx): review panels and boards
work in Word. Built from the same Dossier as the page and the Markdown, so the three
say the same; the fixed words come translated from the web layer (`words`)."""

from __future__ import annotations

import io
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal
from docx import Document
from docx.shared import Pt

from scan.dossier import Dossier, Section, ThemeEvidence


def _number(value: float, lang: str) -> str:
    """Two decimals with the reader's decimal sign, as on the page: "2,53" in Dutch."""
    return format_decimal(value, format="0.00", locale=lang)


def _mean(value: float | None, lang: str, words: dict) -> str:
    return words["not_shown"] if value is None else _number(value, lang)


def _change(value: float | None, lang: str) -> str:
    if value is None:
        return ""
    return ("+" if value >= 0 else "\u2212") + _number(abs(value), lang)


def _day(value: str | None, lang: str) -> str:
    """An ISO date or date-time as the page says it: "6 december 2026"."""
    if not value:
        return ""
    return format_date(date.fromisoformat(str(value)[:10]), format="long", locale=lang)


def _results(doc, section: Section, years: list[str], lang: str, words: dict) -> None:
    doc.add_heading(words["released"], level=3)
    table = doc.add_table(rows=1, cols=len(years) + 2)
    table.style = "Table Grid"
    head = table.rows[0].cells
    head[0].text = words["theme"]
    for i, year in enumerate(years):
        head[i + 1].text = year
    head[-1].text = words["change"]
    for theme in section.themes:
        row = table.add_row().cells
        row[0].text = f"{theme.dimension.title(lang)} ({theme.set.title(lang)})"
        for i, year in enumerate(years):
            found = theme.in_year(year)
            row[i + 1].text = "–" if found is None else (
                _mean(found.mean, lang, words) if found.mean is None
                else f"{_mean(found.mean, lang, words)} (n={found.respondents})")
        row[-1].text = _change(theme.change, lang)


def _joint(doc, themes: list[ThemeEvidence], lang: str, words: dict) -> None:
    doc.add_heading(words["joint"], level=3)
    agreed = [(t, year, j) for t in themes for year, j in t.joint]
    if not agreed:
        doc.add_paragraph(words["no_joint"])
    for theme, year, j in agreed:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(f"{theme.dimension.title(lang)}, {year}: {j.score}").bold = True
        p.add_run(f" ({words['session']}: {j.session}, {_day(j.held_on, lang)})")
        if j.evidence:
            doc.add_paragraph(f"{words['evidence']}: {j.evidence}")


def _actions(doc, themes: list[ThemeEvidence], lang: str, words: dict) -> None:
    doc.add_heading(words["actions"], level=3)
    found = [(t, a) for t in themes for a in t.actions]
    if not found:
        doc.add_paragraph(words["no_actions"])
    for theme, action in found:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(action["text"]).bold = True
        status = words["statuses"].get(action["status"], action["status"])
        due = f", {words['due']} {_day(action['due_on'], lang)}" if action["due_on"] else ""
        p.add_run(f" ({theme.dimension.title(lang)}; {words['owner']}: {action['owner']}"
                  f"{due}; {status})")
        for entry in action["log"]:
            status = words["statuses"].get(entry["status"], "")
            doc.add_paragraph(f"{_day(entry['at'], lang)} · {status}"
                              f"{' · ' + entry['note'] if entry['note'] else ''}",
                              style="List Bullet 2")


def _reflection(doc, section: Section, lang: str, words: dict) -> None:
    doc.add_heading(words["reflection"], level=3)
    found = section.reflection
    if not found:
        doc.add_paragraph(words["no_reflection"])
        return
    for paragraph in found["body"].split("\n\n"):
        doc.add_paragraph(paragraph)
    meta = doc.add_paragraph(f"{words['version']} {found['version']}, "
                             f"{found['author'] or ''} {_day(found['created_at'], lang)}")
    meta.runs[0].font.size = Pt(8)


def document(dossier: Dossier, lang: str, words: dict) -> bytes:
    """The .docx file's bytes."""
    doc = Document()
    doc.add_heading(f"{words['dossier']}: {dossier.framework.title(lang)}", level=0)
    doc.add_paragraph(dossier.partnership)
    doc.add_paragraph(f"{words['years']}: {', '.join(dossier.years)}")
    doc.add_paragraph(dossier.framework.description(lang))
    doc.add_paragraph(words["anonymity"])
    for section in dossier.sections:
        doc.add_heading(section.standard.title(lang), level=1)
        doc.add_paragraph(section.standard.description(lang))
        _results(doc, section, dossier.years, lang, words)
        _joint(doc, section.themes, lang, words)
        _actions(doc, section.themes, lang, words)
        _reflection(doc, section, lang, words)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
