"""Answers worked out by hand, shared by the report and workshop tests.

Partnership A's round (mini set) gets eight people who sent in their answers and
one who did not; see test_reports.py for the numbers this gives.
"""


from scan import partners, releases, responses, rounds, scoring

DK = None
PEOPLE = [  # (partner, role, kennismaken k1 k2, afstemmen a1 a2 a3, comment on afstemmen)
    ("school", "schoolopleider", (3, 4), (2, 2, DK), ""),
    ("school", "schoolopleider", (2, DK), (1, 2, 3), "=HYPERLINK(\"http://x\",\"klik\")"),
    ("school", "schoolopleider", (4, 4), (2, 1, 1), ""),
    ("institute", "instituutsopleider", (3, 3), (4, 4, 3), "Goede jaarplanning"),
    ("institute", "instituutsopleider", (DK, DK), (3, 4, 4), ""),
    ("institute", "instituutsopleider", (2, 3), (4, 3, DK), ""),
    ("school", "instituutsopleider", (1, 2), (3, 3, 3), ""),
    ("bestuur", "bestuurder", (4, 4), (1, 1, 1), "Alleen ik zeg dit"),
]
NOT_SUBMITTED = ("institute", "schoolopleider", (1, 1), None, "")


def answer(db, round_id, link_id, sets, person, submit=True):
    _partner, _role, k, a, comment = person
    token = responses.start(db, round_id, link_id)
    who = responses.respondent(db, token)
    pages = responses.pages(sets)
    for page, values, note in ((pages[0], k, ""), (pages[1], a, comment)):
        if values is None:
            break
        answers = {item.id: v for item, v in zip(page.dimension.items, values, strict=True)}
        responses.save_page(db, who["id"], round_id, page, answers, note)
    if submit:
        responses.submit(db, who["id"], pages)


def fill_round_a(world, db):
    a = world.a
    bestuur = partners.add_partner(db, a.id, "Bestuur a", "bestuur", "vo")
    rounds.add_links(db, a.round, [bestuur], ["bestuurder"])
    links = {(x["partner_id"], x["role"]): x["id"] for x in rounds.links(db, a.round)}
    ids = {"school": a.school, "institute": a.institute, "bestuur": bestuur}
    sets = rounds.round_sets(db, world.catalogue, a.round)
    for person in PEOPLE:
        answer(db, a.round, links[(ids[person[0]], person[1])], sets, person)
    p = NOT_SUBMITTED
    answer(db, a.round, links[(ids[p[0]], p[1])], sets, p, submit=False)
    return released_report(db, a.round, world.catalogue)


def released_report(db, round_id, catalogue, set_id="mini"):
    """Release what was sent in (as closing the round would) and read the report."""
    releases.release(db, round_id, rounds.round_sets(db, catalogue, round_id), 3)
    return scoring.round_report(db, releases.latest(db, round_id), catalogue.sets[set_id], 3)


