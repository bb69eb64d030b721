"""The report's long tables, written out in Python (scan.web.report_tables) so a first
view after a release renders quicker, read exactly as the template loops wrote them:
every demo report, in Dutch and in English, compared character for character with the
old loops (tests/data/report_rows_before.html), also with partner names full of markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment

from scan import rounds
from scan.database import connect
from scan.web import released
from scan.web.i18n import translations
from scan.web.numbers import DASH, decimal_sign, score, scores
from scan.web.report_figures import framework_views, group_label
from scan.web.report_tables import report_tables

BEFORE = Path(__file__).parent / "data" / "report_rows_before.html"


def _demo_reports(app) -> list[tuple[int, object]]:
    database = connect(app.config["DATABASE"])
    catalogue = app.extensions["samenscan.catalogue"]
    found = [(r["id"], qset) for pid in (1, 2) for r in rounds.rounds(database, pid)
             for qset in rounds.round_sets(database, catalogue, r["id"])]
    database.conn.close()
    return found


def _compare(app, lang: str) -> set[str]:
    """Every table of every demo report, both ways; returns which kinds of row were seen."""
    seen = set()
    with app.test_request_context("/", headers={"Cookie": f"lang={lang}"}):
        for rid, qset in _demo_reports(app):
            report = released.report_for(rid, qset)
            if not report.shown:
                continue
            views = framework_views(report, lang)
            fast = report_tables(report, report.set, lang, views, decimal_sign())
            old = app.jinja_env.from_string(BEFORE.read_text()).make_module(
                {"group_label": group_label, "tag_value": views["tag_value"]})
            pairs = [(fast["difference_rows"],
                      old.difference_rows(report, report.set, views["gap_notes"], lang)),
                     (fast["statistics_rows"],
                      old.statistics_rows(report, report.set, views["gap_notes"], lang)),
                     (fast["legend"], old.legend(report.set, lang))]
            for kind, groups in fast["groups_by_kind"].items():
                pairs += [(fast["mean_rows"][kind],
                           old.mean_rows(report, report.set, groups, kind, lang)),
                          (fast["group_heads"][kind], old.group_heads(groups))]
            pairs += [(fast["grid_rows"](g), old.grid_rows(g)) for g, *_ in views["grids"]]
            if views["side_by_side"]:
                pairs.append((fast["side_rows"], old.side_rows(views["side_by_side"])))
            pairs += [(fast["tag_rows"][key], old.tag_rows(rows, key))
                      for key, rows in report.tag_means.items()]
            for d in report.set.dimensions:
                pairs.append((fast["statement_rows"][d.id],
                              old.statement_rows(d, report, report.set, lang)))
                if d.rubric:
                    pairs.append((fast["rubric_rows"][d.id], old.rubric_rows(d, report.set, lang)))
                if d.id in report.comments:
                    pairs.append((fast["comment_items"][d.id],
                                  old.comment_items(report.comments[d.id])))
            for new, before in pairs:
                assert str(new) == str(before)
                seen |= {mark for mark in ("not-asked", "path-step", "sides-why", "colspan=\"4\"",
                                           "could be chance", "kan toeval zijn", "seg seg-1",
                                           "seg-narrow",
                                           "&lt;b&gt;", "<li>", "<dt>")
                         if mark in str(new)}
    return seen


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_tables_read_as_the_template_wrote_them(demo_app, lang):
    seen = _compare(demo_app, lang)
    # The demo has every kind of row: a role not asked, steps on a typical path, a side
    # left out with its reason, a statement hidden, comments, rubrics and distributions
    # (some with counts too wide for their segment, listed under the bar).
    assert {"not-asked", "path-step", "sides-why", "colspan=\"4\"", "seg seg-1", "seg-narrow",
            "<li>", "<dt>"} <= seen
    assert ("kan toeval zijn" if lang == "nl" else "could be chance") in seen


def test_names_full_of_markup_are_escaped_as_the_template_did(demo_app):
    database = connect(demo_app.config["DATABASE"])
    database.execute("""update partner set name = '<b>' || name || ' & "co''s"'""")
    database.conn.commit()
    database.conn.close()
    assert "&lt;b&gt;" in _compare(demo_app, "nl")


@pytest.mark.parametrize(("lang", "sign"), [("nl", ","), ("en", ".")])
def test_a_tables_numbers_are_the_reports_numbers(app, lang, sign):
    with app.test_request_context("/", headers={"Cookie": f"lang={lang}"}):
        assert decimal_sign() == sign
        for value in (0, 1, 2.5, 3.999, 2.345, -0.126, None):
            assert scores(sign)(value) == score(value)
        assert scores(sign)(None) is DASH and score(2.456) == f"2{sign}46"


TEXTS = ['{{ _("Mean") }}', '{{ _("step %(n)d", n=2) }}', '{{ _("Don\'t know") }}',
         '{{ _("%(year)s is an interim result: its round is still open, so these numbers can '
         'still change.", year="<b>2026</b>") }}', '{{ _("100%% <i>sure</i>") }}',
         '{{ ngettext("%(num)d comment", "%(num)d comments", 1) }}',
         '{{ ngettext("%(num)d comment", "%(num)d comments", 3) }}',
         '{{ gettext("Mean") }}']


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_template_texts_translate_as_jinjas_newstyle_gettext(app, lang, autoescape):
    """`_()` in templates takes one call (scan.web); it gives what Jinja's own newstyle
    callables give: the translation as Markup, variables escaped into it, "%%" as "%"."""
    jinjas = Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])
    jinjas.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n), newstyle=True)
    ours = app.jinja_env.overlay(autoescape=autoescape)
    with app.test_request_context("/", headers={"Cookie": f"lang={lang}"}):
        for text in TEXTS:
            assert ours.from_string(text).render() == jinjas.from_string(text).render()
        assert ours.from_string(TEXTS[0]).render() == ("Gemiddelde" if lang == "nl" else "Mean")
