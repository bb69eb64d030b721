"""A realistic demo: two partnerships, two school years, answers from ~25 people each.

Answers go through the same domain functions as a real respondent's, so the
demo also shows that the whole path works. Views differ by partner type on
purpose (institutes rate coordination higher than schools do, for instance),
so the reports have something to show. The first partnership also held a
finished joint scoring session (samen scoren) on last year's round.
"""

from __future__ import annotations

import random
from datetime import date

from sqlite_utils import Database

from scan import (
    accounts,
    benchmark,
    drawing,
    joint,
    partners,
    responses,
    results,
    roles,
    rounds,
    workshops,
)
from scan.questions import Catalogue, for_respondent

DEMO_PASSWORD = "demo-samenscan"
THRESHOLD = 3  # the app's default ANONYMITY_THRESHOLD
PARTNERSHIPS = [
    {
        "name": "Opleidingsschool Rivierenland",
        "sets": ["samen-opleiden", "leermechanismen"],
        "partners": [
            ("Hogeschool Rivierenland, lerarenopleidingen", "instituut", "vo"),
            ("Universiteit Oostland, graduate school", "instituut", "vo"),
            ("Stichting VO Rivierenland", "bestuur", "vo"),
            ("Lyceum De Waard", "school", "vo"),
            ("Vakcollege Lingewaard", "school", "vo"),
            ("Scholengemeenschap Het Baken", "school", "vo"),
        ],
    },
    {
        "name": "Samen Opleiden Kempenland",
        "sets": ["samen-opleiden", "begeleiding"],
        "partners": [
            ("Pabo Kempenland", "instituut", "po"),
            ("Stichting Primair Onderwijs De Kempen", "bestuur", "po"),
            ("Basisschool De Regenboog", "school", "po"),
            ("Kindcentrum Het Klaverblad", "school", "po"),
            ("OBS De Vlieger", "school", "po"),
        ],
    },
]
ROLES_BY_TYPE = {
    "instituut": ["instituutsopleider", "stuurgroeplid"],
    "bestuur": ["bestuurder", "stuurgroeplid", "hr"],
    "school": ["schoolleider", "schoolopleider", "werkplekbegeleider", "leraar-in-opleiding",
               "starter"],
}
YEARS = ["2024-2025", "2025-2026"]
RESPONDENTS_PER_ROUND = 25
COMMENTS = [
    "Op onze school merken we hier nog weinig van; het hangt sterk af van de begeleider.",
    "Goede afspraken op papier, maar in de praktijk ontbreekt vaak de tijd.",
    "Sinds dit jaar is er een vast overleg tussen school- en instituutsopleiders; dat helpt.",
    "Studenten weten niet altijd bij wie ze terecht kunnen.",
    "We willen dit graag samen verder uitwerken in de stuurgroep.",
    "Mooi dat dit nu gemeten wordt. Ik hoop dat er ook iets mee gebeurt.",
]


def _logins() -> list[tuple[str, str, str]]:
    return [
        ("coordinator@demo.samenscan.nl", DEMO_PASSWORD, "coordinator of both partnerships"),
        ("stuurgroep@demo.samenscan.nl", DEMO_PASSWORD, "viewer, Rivierenland"),
        ("gespreksleider@demo.samenscan.nl", DEMO_PASSWORD, "facilitator, Rivierenland"),
        ("kempen@demo.samenscan.nl", DEMO_PASSWORD, "coordinator, Kempenland only"),
        ("admin@demo.samenscan.nl", DEMO_PASSWORD, "instance administrator"),
    ]


def _users(db: Database) -> dict[str, int]:
    names = ["Coördinator Demo", "Stuurgroeplid Demo", "Gespreksleider Demo",
             "Coördinator Kempenland", "Beheerder Demo"]
    ids = {}
    for (email, password, what), name in zip(_logins(), names, strict=True):
        ids[email.split("@")[0]] = accounts.create_user(
            db, email, name, password, is_admin=what == "instance administrator")
    return ids


# Where partnerships usually stand on the learning mechanisms (docs: DOMAIN):
# they start with coordination, then get to know each other; reflection and
# transformation come later. The demo follows that order, with some noise.
MECHANISM_LEVEL = {"coordinatie": 3.0, "identificatie": 2.6, "reflectie": 2.2,
                   "transformatie": 1.8}


def _leaning(rng: random.Random, set_ids: list[str], catalogue: Catalogue) -> dict:
    """Where this partnership stands per dimension, on a 1–4 scale."""
    return {d.id: MECHANISM_LEVEL[d.id] + rng.uniform(-0.15, 0.15) if d.id in MECHANISM_LEVEL
            else rng.uniform(1.6, 3.4)
            for s in set_ids if s in catalogue.sets for d in catalogue.sets[s].dimensions}


def _answer(rng: random.Random, base: float, scale) -> int | None:
    if rng.random() < 0.07:
        return None
    value = round(rng.gauss(base, 0.7))
    return min(max(value, scale.minimum), scale.maximum)


def _fill(db: Database, rng: random.Random, round_id: int, link: dict, sets, leaning: dict,
          year_gain: float, complete: bool) -> None:
    token = responses.start(db, round_id, link["id"])
    person = responses.respondent(db, token)
    sets = for_respondent(sets, link["role"], link["sector"])   # what this role is asked
    # Institutes see the agreements (coordination) as further along than schools do.
    shift = {"instituut": 0.4, "bestuur": 0.2, "school": -0.2}[link["partner_type"]]
    pages = responses.pages(sets)
    stop = len(pages) if complete else rng.randrange(1, len(pages))
    for page in pages[:stop]:
        base = leaning[page.dimension.id] + year_gain + (
            shift if page.dimension.id in ("coordinatie", "opleiden-realisatie") else 0)
        answers = {i.id: _answer(rng, base, page.set.scale) for i in page.dimension.items}
        comment = rng.choice(COMMENTS) if rng.random() < 0.12 else ""
        responses.save_page(db, person["id"], round_id, page, answers, comment)
    if complete:
        responses.submit(db, person["id"], pages)


def _partnership(db: Database, rng: random.Random, catalogue: Catalogue, spec: dict,
                 coordinators: list[int]) -> int:
    pid = accounts.create_partnership(db, spec["name"])
    for user_id in coordinators:
        accounts.set_member(db, pid, user_id, "coordinator")
    partner_ids = {name: partners.add_partner(db, pid, name, kind, sector)
                   for name, kind, sector in spec["partners"]}
    sets = [catalogue.sets[s] for s in spec["sets"] if s in catalogue.sets]
    leaning = _leaning(rng, spec["sets"], catalogue)
    for year_index, year in enumerate(YEARS):
        rid = rounds.create_round(db, pid, year, "Zelfscan", sets, [], [])
        for name, kind, _sector in spec["partners"]:
            rounds.add_links(db, rid, [partner_ids[name]], ROLES_BY_TYPE[kind])
        links = rounds.links(db, rid)
        for n in range(RESPONDENTS_PER_ROUND):
            complete = year_index == 0 or n < RESPONDENTS_PER_ROUND - 3
            _fill(db, rng, rid, rng.choice(links), sets, leaning, 0.35 * year_index, complete)
        _expect(db, rid)
        if year != YEARS[-1]:
            rounds.set_status(db, rid, "closed")
        else:  # this year's round is open, with interim results to look at
            rounds.set_results_mode(db, rid, "interim")
        results.publish(db, rid, sets, THRESHOLD)
    return pid


def _expect(db: Database, round_id: int) -> None:
    """Every demo link expects the people who answered through it and a few who did
    not (as a coordinator would enter when sharing it): what was sent in counts
    towards k, and the open round's links still take a few more."""
    rounds.set_invited(db, round_id, {
        x["id"]: x["started"] + 3 + x["started"] // 4 for x in rounds.links(db, round_id)})


def _workshop(db: Database, rng: random.Random, catalogue: Catalogue, pid: int) -> None:
    """Last year's steering-group workshop, steered by that year's scan, with agreements."""
    last_year = rounds.rounds(db, pid)[-1]
    decks = [d for d in PARTNERSHIPS[0]["sets"] if d in catalogue.decks]
    wid = workshops.create(db, pid, "Stuurgroep: wat zegt de scan?", date(2025, 6, 12),
                           last_year["id"], decks)
    release = results.latest(db, last_year["id"])
    reports = [results.report(db, release, s, THRESHOLD)
               for s in rounds.round_sets(db, catalogue, last_year["id"])]
    priorities = drawing.scan_priorities(reports)
    cards = [c for d in decks for c in catalogue.decks[d].cards]
    drawn = []
    for note, (text, owner) in zip(DEMO_NOTES, DEMO_AGREEMENTS, strict=True):
        card, reason = drawing.draw_from_scan(
            drawing.pool(cards, {c.id for c in drawn}), priorities, rng, drawn)
        drawn.append(card)
        row = workshops.add_card(db, wid, card.id, reason.as_dict())
        workshops.save_notes(db, wid, row, note, 0)
        workshops.add_action(db, pid, text, owner, date(2026, 3, 1), reason.dimension_id,
                             wid, card.id)
    workshops.set_status(db, wid, "closed")


DEMO_NOTES = [
    "Scholen en opleiding zien dit verschillend. Afgesproken: eerst samen uitzoeken waarom.",
    "Veel 'weet ik niet' bij werkplekbegeleiders: zij horen er te weinig over.",
    "Er gebeurt al veel, maar het is niet zichtbaar voor de hele school.",
]
DEMO_AGREEMENTS = [
    ("Twee keer per jaar een gezamenlijke bijeenkomst van school- en instituutsopleiders",
     "Stuurgroep"),
    ("Werkplekbegeleiders krijgen na elke stuurgroep een korte nieuwsbrief", "Schoolopleiders"),
    ("Op de studiedag laten we zien wat studenten en leraren samen hebben onderzocht",
     "Schoolleiders"),
]


# The joint scoring session: nine people, three of each partner type, so the
# spread can be shown per partner type wherever all nine placed.
JOINT_PEOPLE = ["school"] * 3 + ["instituut"] * 3 + ["bestuur"] * 3
JOINT_SHIFT = {"instituut": 0.3, "bestuur": 0.1, "school": -0.2}
JOINT_SET = "samen-opleiden"
# The theme where the meeting ends up well away from the survey mean (about 1.5
# steps), so the report's marker has something to show.
JOINT_APART = "onderzoek-realisatie"
JOINT_EVIDENCE = {
    "opleiden-visie": "Er ligt een gezamenlijk opleidingsplan, maar niet elke school kent het. "
                      "Scholen en opleiding beschrijven goed opleiden nog in eigen woorden; "
                      "een gedeelde visie is in de maak.",
    "opleiden-realisatie": "Elke student heeft een werkplekbegeleider en er zijn vaste "
                           "intervisiemomenten. Hoe de begeleiding eruitziet, verschilt nog "
                           "sterk per school en per begeleider.",
    "opleiden-evaluatie": "Studenten vullen aan het eind van het jaar een evaluatie in, maar de "
                          "uitkomsten bespreken we niet samen met de scholen. Verbeteren gaat "
                          "nog vooral op gevoel.",
    "onderzoek-visie": "In het koersplan staat dat onderzoek bijdraagt aan de ontwikkeling van "
                       "de school, en schoolleiders leggen dat goed uit. Wat een onderzoekende "
                       "houding is, verschilt nog per school.",
    "onderzoek-realisatie": "Op drie scholen doen studenten en leraren samen praktijkonderzoek, "
                            "begeleid door de hogeschool.",
    "onderzoek-evaluatie": "De onderzoeken worden op de studiedag gepresenteerd, maar we kijken "
                           "nog niet samen wat ze de scholen hebben opgeleverd.",
    "professionalisering-visie": "Het inductieplan dat de besturen vorig jaar vaststelden, sluit "
                                 "aan op de begeleiding van studenten. Schoolleiders en opleiders "
                                 "kennen het en kunnen het uitleggen.",
    "professionalisering-realisatie": "Starters hebben op bijna alle scholen een coach en een "
                                      "lichtere taak in het eerste jaar. Op één school lukt dat "
                                      "door het lerarentekort nog niet.",
    "professionalisering-evaluatie": "Het inductieprogramma wordt elk jaar met de starters "
                                     "geëvalueerd en bijgesteld. Wat het oplevert voor het "
                                     "behoud van leraren, weten we nog niet.",
}
JOINT_EVIDENCE_ANY = ("Besproken aan de hand van voorbeelden uit de scholen en de opleiding; "
                      "de meeste plaatsingen lagen dicht bij elkaar.")
JOINT_HIGHER = ("De vragenlijst kwam lager uit: veel collega's zien niet wat er al gebeurt. "
                "We scoren wat er werkelijk gebeurt en maken het zichtbaar.")
JOINT_LOWER = ("De vragenlijst kwam hoger uit: op papier is het geregeld, maar in de praktijk "
               "merken we er nog weinig van.")
JOINT_NOTES = {
    "opleiden-realisatie": ["Bij ons wisselt de werkplekbegeleider elk half jaar.",
                            "Studenten weten vaak niet wat ze van de instituutsopleider mogen "
                            "verwachten."],
    "onderzoek-realisatie": ["Het onderzoek naar formatief handelen was voor onze sectie heel "
                             "waardevol.",
                             "Ik wist niet dat er op andere scholen ook onderzoek liep.",
                             "Kunnen de onderzoeken ook in de teamvergadering terugkomen?"],
    "professionalisering-realisatie": ["Geen coach gehad in mijn eerste jaar, wel een fijne "
                                       "sectie.",
                                       "De lichtere taak staat op papier, maar het rooster maakt "
                                       "het lastig."],
}
# (text, owner, months after the session)
JOINT_NEXT_STEPS = {
    "opleiden-visie": ("Het opleidingsplan bespreken in elk schoolteam", "Schoolopleiders", 5),
    "opleiden-evaluatie": ("De studentenevaluatie samen met de scholen doornemen", "Stuurgroep",
                           8),
    "onderzoek-realisatie": ("Lopende praktijkonderzoeken in de nieuwsbrief zetten",
                             "Instituutsopleiders", 4),
}


def _months_after(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, 1)


def _joint_scores(means: dict, values: tuple[int, ...]) -> dict[str, int]:
    """Joint scores close to the survey means, except on one theme, which lies about
    1.5 steps away (JOINT_APART where the set has it)."""
    scores = {d: min(max(int(m + 0.5), values[0]), values[-1]) for d, m in means.items()}

    def apart(d: str) -> int:
        return min(values, key=lambda v: (abs(abs(v - means[d]) - 1.5), -v))

    chosen = JOINT_APART if JOINT_APART in means else min(
        means, key=lambda d: abs(abs(apart(d) - means[d]) - 1.5))
    scores[chosen] = apart(chosen)
    return scores


def _joint_session(db: Database, rng: random.Random, catalogue: Catalogue, pid: int) -> None:
    """Last year's joint scoring session: every theme of one set placed, revealed and
    agreed, with a few sticky notes and next steps for the action plan; closed."""
    last_year = next(r for r in rounds.rounds(db, pid) if r["status"] == "closed")
    asked = rounds.round_sets(db, catalogue, last_year["id"])
    qset = next((s for s in asked if s.id == JOINT_SET), asked[0])
    report = results.report(db, results.latest(db, last_year["id"]), qset, THRESHOLD)
    means = {d.id: (report.overall.means.get(d.id) if report.overall else None) or 2.5
             for d in qset.dimensions}
    scores = _joint_scores(means, qset.scale.values)
    held_on = date(int(last_year["school_year"][-4:]), 6, 26)
    wid = workshops.create(db, pid, f"Samen scoren {last_year['school_year']}", held_on,
                           last_year["id"], [], set_id=qset.id,
                           dimension_ids=tuple(d.id for d in qset.dimensions))
    kinds = roles.roles_by_type(db, pid)
    people = [joint.participant(db, wid, joint.join(db, wid, kind, rng.choice(kinds[kind])))
              for kind in JOINT_PEOPLE]
    low, high = qset.scale.minimum, qset.scale.maximum
    for position, dimension in enumerate(qset.dimensions):
        if position:
            joint.go_to(db, wid, position)
        score, mean = scores[dimension.id], means[dimension.id]
        # Placements come before the talk: around the survey mean, or halfway to
        # where the meeting ends up when it ends up far away.
        centre = (mean + score) / 2 if abs(score - mean) > 1 else mean
        for person in people:
            if rng.random() < 0.1:
                continue  # out of the room for this theme
            value = round(rng.gauss(centre + JOINT_SHIFT[person["partner_type"]], 0.6))
            joint.place(db, wid, person, dimension.id, min(max(value, low), high),
                        qset.scale.values)
        for note in JOINT_NOTES.get(dimension.id, []):
            joint.add_note(db, wid, dimension.id, note)
        joint.set_step(db, wid, "spread")
        if dimension.id in JOINT_NOTES:
            joint.show_notes(db, wid)
        joint.set_step(db, wid, "agree")
        evidence = JOINT_EVIDENCE.get(dimension.id, JOINT_EVIDENCE_ANY)
        if abs(score - mean) > 1:
            evidence += " " + (JOINT_HIGHER if score > mean else JOINT_LOWER)
        step = JOINT_NEXT_STEPS.get(dimension.id)
        joint.agree(db, wid, dimension.id, score, evidence, qset.scale.values,
                    (step[0], step[1], _months_after(held_on, step[2])) if step else None)
    workshops.set_status(db, wid, "closed")


# Other partnerships on the same server that ran the scan samen opleiden in the
# first demo year and take part in the benchmark, so the two demo partnerships can
# see where they stand among others (scan.benchmark). Small, to keep the demo quick.
BENCHMARK_SET = "samen-opleiden"
BENCHMARK_PARTNERSHIPS = [
    ("Opleidingsschool Noordkust", "vo"), ("Samen Opleiden Veenkoloniën", "po"),
    ("Academische Opleidingsschool Heuvelland", "vo"), ("Opleidingsschool De Delta", "mbo"),
    ("Partnerschap Opleiden Zuidrand", "po"), ("Opleidingsschool Twentse Scholen", "vo"),
]
BENCHMARK_LINKS = [("instituut", "instituutsopleider"), ("school", "schoolopleider"),
                   ("school", "schoolleider"), ("school", "werkplekbegeleider")]
BENCHMARK_RESPONDENTS = 8


def _benchmark_partnership(db: Database, rng: random.Random, catalogue: Catalogue,
                           name: str, sector: str) -> int:
    """One other partnership: an institute and a school, one closed round last year."""
    pid = accounts.create_partnership(db, name)
    kinds = {"instituut": partners.add_partner(db, pid, f"Lerarenopleiding {name[-10:]}",
                                               "instituut", sector),
             "school": partners.add_partner(db, pid, f"School {name[-10:]}", "school", sector)}
    sets = [catalogue.sets[BENCHMARK_SET]]
    rid = rounds.create_round(db, pid, YEARS[0], f"Zelfscan {YEARS[0]}", sets, [], [])
    for kind, role in BENCHMARK_LINKS:
        rounds.add_links(db, rid, [kinds[kind]], [role])
    links = rounds.links(db, rid)
    leaning = _leaning(rng, [BENCHMARK_SET], catalogue)
    for n in range(BENCHMARK_RESPONDENTS):
        _fill(db, rng, rid, links[n % len(links)], sets, leaning, 0, True)
    _expect(db, rid)
    rounds.set_status(db, rid, "closed")
    results.publish(db, rid, sets, THRESHOLD)
    return pid


def _benchmark_field(db: Database, rng: random.Random, catalogue: Catalogue,
                     demo_partnerships: list[int]) -> None:
    others = [_benchmark_partnership(db, rng, catalogue, name, sector)
              for name, sector in BENCHMARK_PARTNERSHIPS]
    for pid in [*demo_partnerships, *others]:
        benchmark.set_choice(db, pid, BENCHMARK_SET, True)


def build(db: Database, catalogue: Catalogue, seed: int = 2026) -> list[tuple[str, str, str]]:
    """Create the demo once; running it again only prints the logins."""
    if accounts.user_by_email(db, _logins()[0][0]):
        return _logins()
    rng = random.Random(seed)
    users = _users(db)
    first = _partnership(db, rng, catalogue, PARTNERSHIPS[0], [users["coordinator"]])
    accounts.set_member(db, first, users["stuurgroep"], "viewer")
    accounts.set_member(db, first, users["gespreksleider"], "facilitator")
    _workshop(db, rng, catalogue, first)
    second = _partnership(db, rng, catalogue, PARTNERSHIPS[1],
                          [users["coordinator"], users["kempen"]])
    # Last: the data above stays as it was before the demo had a joint session.
    _joint_session(db, rng, catalogue, first)
    if BENCHMARK_SET in catalogue.sets:
        _benchmark_field(db, random.Random(seed + 1), catalogue, [first, second])
    return _logins()
