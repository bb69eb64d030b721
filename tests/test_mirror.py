"""A respondent's own mirror (issue 26): after a release, their resume link shows their
own answers beside the partnership's released results, and nothing else.

The key is the resume token only its holder has; the released side is the report's
audited numbers; another person's answers and the cells the report hides never appear.
"""

import re
from pathlib import Path

import pytest

from scan import releases, rounds, scoring

MIRROR_404 = "Deze link toont geen antwoorden naast de uitkomsten"
# (partner, role, kennismaken k1 k2, afstemmen a1 a2 a3); "0" is "don't know"
PEOPLE = [
    ("institute", "instituutsopleider", ("3", "4"), ("2", "2", "0")),
    ("institute", "instituutsopleider", ("2", "0"), ("1", "2", "3")),
    ("institute", "instituutsopleider", ("4", "4"), ("2", "1", "1")),
    ("school", "schoolopleider", ("2", "2"), ("3", "3", "2")),
    ("school", "schoolopleider", ("1", "3"), ("2", "3", "3")),
    ("school", "schoolopleider", ("3", "3"), ("3", "2", "2")),
]
# The only schoolopleider at the institute: a piece of one person, so the audit hides
# a cell that would give it away (the institute's or the instituutsopleiders').
LONE = ("institute", "schoolopleider", ("1", "2"), ("4", "4", "4"))


def link_token(world, role, partner="institute", side="a"):
    part = getattr(world, side)
    partner_id = part.institute if partner == "institute" else part.school
    return next(x["token"] for x in part.links
                if x["role"] == role and x["partner_id"] == partner_id)


def send_in(new_respondent, token, first, second):
    person = new_respondent(token)
    person.start()
    assert person.save(0, "kennismaken", dict(zip(("mini-k-1", "mini-k-2"), first,
                                                  strict=True))).status_code == 302
    assert person.save(1, "afstemmen", dict(zip(("mini-a-1", "mini-a-2", "mini-a-3"), second,
                                                strict=True))).status_code == 302
    assert person.submit().status_code == 302
    return person


@pytest.fixture
def people(world, new_respondent):
    return [send_in(new_respondent, link_token(world, role, partner), k, a)
            for partner, role, k, a in PEOPLE]


def close(auth, world, side="a"):
    part = getattr(world, side)
    auth.login(part.emails["coordinator"])
    assert auth.client.post(f"/p/{part.id}/rounds/{part.round}/status/closed").status_code == 302
    auth.logout()


def released(db, world, side="a"):
    rid = getattr(world, side).round
    return scoring.round_report(db, releases.latest(db, rid),
                                rounds.round_sets(db, world.catalogue, rid)[0], 3)


def comma(value):
    return f"{value:.2f}".replace(".", ",")


def mirror(person, lang=None):
    if lang:
        person.client.set_cookie("lang", lang)
    response = person.client.get(f"/r/{person.resume}/mirror")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def own_cells(html):
    """What the statement table says the person answered, in order."""
    rows = re.findall(r'<th scope="row">.*?</th>\s*<td>(.*?)</td>', html, re.S)
    return [re.sub(r"<[^>]+>", "", r).strip() for r in rows]


def test_sending_in_offers_the_link_and_before_a_release_it_says_when(people, world, db):
    person = people[0]
    thanks = person.client.get(f"/r/{person.resume}/thanks").get_data(as_text=True)
    assert f"/r/{person.resume}/mirror" in thanks and "Bewaar je link" in thanks
    # The resume link itself now opens the mirror.
    assert person.client.get(f"/r/{person.resume}").location.endswith(
        f"/r/{person.resume}/mirror")
    html = mirror(person)
    assert 'id="mirror-not-yet"' in html and "Als de coördinator de ronde sluit" in html
    assert "mirror-theme" not in html   # no numbers, not even the person's own, yet
    db.execute("update round set closes_on = '2026-06-30' where id = ?", [world.a.round])
    db.conn.commit()
    assert "30 juni 2026" in mirror(person)


def test_after_closing_own_answers_stand_beside_the_released_means(people, world, db, auth):
    close(auth, world)
    report = released(db, world)
    person = people[0]
    html = mirror(person)
    assert 'id="mirror-not-yet"' not in html
    assert own_cells(html) == ["3 · Grotendeels", "4 · Volledig en geborgd", "2 · In ontwikkeling",
                               "2 · In ontwikkeling", "Weet ik niet"]
    for dim in ("kennismaken", "afstemmen"):
        theme = re.search(rf'id="theme-{dim}".*?</article>', html, re.S)[0]
        assert comma(report.overall.means[dim]) in theme
    kennismaken = re.search(r'id="theme-kennismaken".*?</article>', html, re.S)[0]
    assert comma(3.5) in kennismaken            # their own mean of 3 and 4
    role = next(g for g in report.groups if g.kind == "role" and g.key == "instituutsopleider")
    assert comma(role.means["kennismaken"]) in kennismaken
    assert comma(report.items["mini-a-1"].mean) in html


def test_nobody_elses_answers_and_no_hidden_number_appear(people, world, db, auth,
                                                         new_respondent):
    partner, role, k, a = LONE
    alone = send_in(new_respondent, link_token(world, role, partner), k, a)
    close(auth, world)
    report = released(db, world)
    assert report.hidden   # the audit hid something to protect the lone person
    html = mirror(alone)
    assert own_cells(html) == ["1 · Nog niet", "2 · In ontwikkeling", "4 · Volledig en geborgd",
                               "4 · Volledig en geborgd", "4 · Volledig en geborgd"]
    # Every number with decimals on the page is a shown cell of the report or the
    # person's own mean: nothing the report hides, nothing of anyone else.
    shown = {comma(m) for g in [report.overall, *report.groups] for m in g.means.values()
             if m is not None} | {comma(i.mean) for i in report.items.values()
                                  if i.mean is not None}
    own = {comma(1.5), comma(4.0)}
    found = set(re.findall(r"\b\d,\d\d\b", html))
    assert found and found <= shown | own
    assert own <= found
    schoolopleiders = next((g for g in report.groups
                            if g.kind == "role" and g.key == "schoolopleider"), None)
    role_cell = re.search(r"<dt>Jouw rol</dt>\s*<dd>(.*?)</dd>", html, re.S)[1]
    if schoolopleiders is None or schoolopleiders.means["kennismaken"] is None:
        assert "niet getoond" in role_cell
    else:
        assert comma(schoolopleiders.means["kennismaken"]) in role_cell


@pytest.mark.parametrize("token", ["unknown-token-0000000", "TAMPERED"])
def test_an_unknown_or_tampered_token_gets_a_clear_404(people, world, auth, client, token):
    close(auth, world)
    if token == "TAMPERED":
        real = people[0].resume
        token = real[:-1] + ("A" if real[-1] != "A" else "B")
    response = client.get(f"/r/{token}/mirror")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert MIRROR_404 in body and "mirror-theme" not in body
    assert "Partnerschap A" not in body


def test_a_questionnaire_not_sent_in_opens_no_mirror(world, new_respondent, client):
    started = new_respondent(link_token(world, "instituutsopleider"))
    started.start()
    started.save(0, "kennismaken", {"mini-k-1": "2", "mini-k-2": "3"})
    response = client.get(f"/r/{started.resume}/mirror")
    assert response.status_code == 404 and MIRROR_404 in response.get_data(as_text=True)


def test_a_token_of_another_partnership_shows_only_that_partnership(people, world, db, auth,
                                                                    new_respondent):
    others = [send_in(new_respondent, link_token(world, "instituutsopleider", side="b"), k, a)
              for k, a in ((("1", "1"), ("1", "1", "1")), (("1", "2"), ("2", "1", "1")),
                           (("2", "1"), ("1", "2", "1")))]
    close(auth, world, "a")
    close(auth, world, "b")
    report_a, report_b = released(db, world, "a"), released(db, world, "b")
    html = mirror(others[0])
    assert "Partnerschap B" in html and "Partnerschap A" not in html
    assert comma(report_b.overall.means["kennismaken"]) in html
    assert comma(report_a.overall.means["kennismaken"]) not in html
    # Signed in as A's coordinator changes nothing: the token is the only key.
    auth.login(world.a.emails["coordinator"])
    assert auth.client.get(f"/r/{others[0].resume}/mirror").get_data(
        as_text=True).count("Partnerschap A") == 0


def test_the_mirror_is_never_cached_nor_passes_its_address_on(people, world, auth):
    close(auth, world)
    response = people[0].client.get(f"/r/{people[0].resume}/mirror")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_in_english(people, world, auth):
    html = mirror(people[0], "en")
    assert "The results are not released yet" in html
    close(auth, world)
    html = mirror(people[0], "en")
    assert "Your answers beside the results" in html and "3 · Largely in place" in html
    assert comma(3.5).replace(",", ".") in html


def test_a_personal_invitation_leads_to_the_mirror_and_stays_unjoinable(mail_config, world, db,
                                                                        smtp):
    """Someone invited by mail sends in: the mail link's thank-you page offers their
    mirror, while the invitation's address and nonce are erased as before."""
    from conftest import Auth, Respondent
    from smtp_server import link_in

    from scan import create_app

    app = create_app(mail_config)
    coordinator = app.test_client()
    Auth(coordinator).login(world.a.emails["coordinator"])
    people = f"/p/{world.a.id}/rounds/{world.a.round}/links/{world.a.link}/people"
    coordinator.post(people, data={"addresses": "ik@school-a.nl", "lang": "nl"},
                     content_type="multipart/form-data")
    personal = link_in(smtp.mailbox.wait(1)[0], "/i/").split("localhost", 1)[1]
    person = Respondent(app, None)
    started = person.client.post(personal)
    person.resume = re.search(r"/r/([\w-]+)/welcome", started.location)[1]
    person.save(0, "kennismaken", {"mini-k-1": "3", "mini-k-2": "0"})
    person.save(1, "afstemmen", {"mini-a-1": "4", "mini-a-2": "2", "mini-a-3": "1"})
    assert person.submit().status_code == 302
    assert list(db.query("select email, nonce, submitted from round_invitation")) == [
        {"email": None, "nonce": None, "submitted": 1}]
    thanks = app.test_client().get(personal, follow_redirects=True).get_data(as_text=True)
    assert f"/r/{person.resume}/mirror" in thanks
    assert 'id="mirror-not-yet"' in mirror(person)


def test_a_statement_too_few_people_answered_reads_not_shown(world, db, auth, new_respondent):
    """Two of three said "don't know" to mini-k-2: the report leaves it out of every total,
    so the mirror shows the person's own answer beside "not shown", never a mean of one."""
    trio = [send_in(new_respondent, link_token(world, "instituutsopleider"), k,
                    ("2", "3", "4")) for k in (("3", "4"), ("2", "0"), ("4", "0"))]
    close(auth, world)
    report = released(db, world)
    assert "mini-k-2" not in report.items and "mini-k-1" in report.items
    html = mirror(trio[0])
    row = re.search(r'<th scope="row">We zien waarin we verschillen.</th>\s*<td>(.*?)</td>'
                    r"\s*<td>(.*?)</td>", html, re.S)
    assert "4 · Volledig en geborgd" in row[1] and "niet getoond" in row[2]


def test_opening_mirrors_is_throttled_per_address(app, client):
    from scan.web.security import limiter

    app.config["RATELIMIT_ENABLED"] = True
    limiter.enabled = True
    try:
        limiter.reset()
        codes = [client.get(f"/r/guess-{n}/mirror").status_code for n in range(121)]
    finally:
        limiter.reset()
    assert codes[:120] == [404] * 120 and codes[-1] == 429


def test_the_mirror_reads_released_numbers_through_the_door_and_only_its_own_answers(
        people, world, db, auth, app_config, monkeypatch):
    """Run time, as tests/test_one_door.py does for readers' pages: every read of the
    release tables on the mirror comes in through scan.results; the answer table is read
    outside it only by scan.responses, on the mirror's call for the person's own rows."""
    from test_one_door import _read_recorder

    from scan import create_app

    close(auth, world)
    reads = _read_recorder(monkeypatch)
    fresh = create_app(app_config)   # its connections open with the recorder in place
    response = fresh.test_client().get(f"/r/{people[0].resume}/mirror")
    assert response.status_code == 200 and "mirror-theme" in response.get_data(as_text=True)
    assert {table for table, _m in reads} >= {"release", "released_report", "answer"}
    for table, modules in reads:
        if "scan.results" in modules:
            continue
        assert table in {"answer", "comment"}, (table, modules)
        assert modules[0] == "scan.responses" and "scan.mirror" in modules, modules


def test_the_mirror_copies_only_what_the_report_shows_and_the_persons_own_answers():
    """Whatever the report hides (None) stays hidden, whatever it shows is copied as is,
    and the person's own values are theirs: the mirror computes no other number."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from scan import mirror as mirroring
    from scan.question_files import load_catalogue
    from scan.results import GroupScore, RoundReport
    from scan.scoring import ItemScore

    mini = load_catalogue(Path(__file__).parent / "data" / "questions").sets["mini"]
    dims = [d.id for d in mini.dimensions]
    items = [i.id for i in mini.items]
    mean = st.none() | st.floats(1, 4)
    means = st.fixed_dictionaries({d: mean for d in dims})

    @settings(max_examples=60, deadline=None)
    @given(overall=means, role=means, shown_items=st.dictionaries(st.sampled_from(items),
                                                                  st.floats(1, 4)),
           own=st.dictionaries(st.sampled_from(items), st.none() | st.integers(1, 4)),
           role_shown=st.booleans())
    def check(overall, role, shown_items, own, role_shown):
        people = {d: 5 for d in dims}
        groups = [GroupScore("role", "schoolopleider", 5, role, {}, people)] if role_shown \
            else []
        report = RoundReport(mini, 3, 9, GroupScore("all", "all", 9, overall, {}, people),
                             groups, items={i: ItemScore(i, 5, m, {}, 0)
                                            for i, m in shown_items.items()})
        by_dim = {d.id: {i.id: own[i.id] for i in d.items if i.id in own}
                  for d in mini.dimensions}
        result = mirroring.mirrored_set(mini, by_dim, report, "schoolopleider")
        for theme in result.themes:
            dim = theme.dimension.id
            assert theme.released_mean == overall[dim]
            assert theme.role_mean == (role[dim] if role_shown else None)
            for s in theme.statements:
                assert s.released == shown_items.get(s.item.id)
                assert s.own == own.get(s.item.id, mirroring.NOT_ANSWERED)
            values = [v for i, v in own.items() if i in {x.id for x in theme.dimension.items}
                      and v is not None]
            assert theme.own_mean == (sum(values) / len(values) if values else None)

    check()


def test_a_round_closed_with_too_few_people_says_why_there_is_no_mirror(world, auth,
                                                                       new_respondent):
    person = send_in(new_respondent, link_token(world, "instituutsopleider"), ("3", "4"),
                     ("2", "2", "1"))
    close(auth, world)
    html = mirror(person)
    assert 'id="mirror-too-few"' in html and "minder dan 3 mensen" in html
    assert "mirror-theme" not in html


def seen(html: str) -> str:
    """A page's words as a reader sees or hears them: no tags, ids or addresses."""
    body = html.split("<main", 1)[1].split("</main>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.mark.parametrize("lang, own, sides", [
    ("nl", "antwoorden naast de uitkomsten", "School en instituut naast elkaar"),
    ("en", "answers beside the results", "School and institute side by side")])
def test_the_own_page_and_the_side_chart_have_names_of_their_own(people, world, auth, client,
                                                                 lang, own, sides):
    """"Mirror" ("spiegel") named two things. A respondent reads of their answers beside
    the results, a steering group of school and institute side by side; neither word is
    used for either, on any page that shows them, nor in the texts behind them."""
    person = people[0]
    person.client.set_cookie("lang", lang)
    pages = {"thanks": person.client.get(f"/r/{person.resume}/thanks"),
             "not yet": person.client.get(f"/r/{person.resume}/mirror"),
             "help": person.client.get("/help/respondent")}
    client.set_cookie("lang", lang)
    pages["404"] = client.get("/r/no-such-token/mirror")
    close(auth, world)
    pages["beside"] = person.client.get(f"/r/{person.resume}/mirror")
    auth.login(world.a.emails["coordinator"])
    auth.client.set_cookie("lang", lang)
    pages["report"] = auth.client.get(f"/p/{world.a.id}/rounds/{world.a.round}/report/mini")
    words = {name: seen(response.get_data(as_text=True)) for name, response in pages.items()}
    for name, text in words.items():
        assert not re.search(r"mirror|spiegel", text, re.I), (name, text)
    for name in ("thanks", "help", "404", "beside"):
        assert own in words[name].lower(), name
    assert sides in words["report"] and own not in words["report"].lower()
