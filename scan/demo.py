"""A realistic demo: two partnerships, two school years, answers from ~25 people each.

Answers go through the same domain functions as a real respondent's, so the
demo also shows that the whole path works. Views differ by partner type on
purpose (institutes rate coordination higher than schools do, for instance),
so the reports have something to show.
"""

from __future__ import annotations

import random
from datetime import date

from sqlite_utils import Database

from scan import accounts, drawing, partners, releases, responses, rounds, scoring, workshops
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
        rid = rounds.create_round(db, pid, year, f"Zelfscan {year}", sets, [], [])
        for name, kind, _sector in spec["partners"]:
            rounds.add_links(db, rid, [partner_ids[name]], ROLES_BY_TYPE[kind])
        links = rounds.links(db, rid)
        for n in range(RESPONDENTS_PER_ROUND):
            complete = year_index == 0 or n < RESPONDENTS_PER_ROUND - 3
            _fill(db, rng, rid, rng.choice(links), sets, leaning, 0.35 * year_index, complete)
        if year != YEARS[-1]:
            rounds.set_status(db, rid, "closed")
        else:  # this year's round is open, with interim results to look at
            rounds.set_results_mode(db, rid, "interim")
        releases.release(db, rid, sets, THRESHOLD)
    return pid


def _workshop(db: Database, rng: random.Random, catalogue: Catalogue, pid: int) -> None:
    """Last year's steering-group workshop, steered by that year's scan, with agreements."""
    last_year = rounds.rounds(db, pid)[-1]
    decks = [d for d in PARTNERSHIPS[0]["sets"] if d in catalogue.decks]
    wid = workshops.create(db, pid, "Stuurgroep: wat zegt de scan?", date(2025, 6, 12),
                           last_year["id"], decks)
    release = releases.latest(db, last_year["id"])
    reports = [scoring.round_report(db, release, s, THRESHOLD)
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
    _partnership(db, rng, catalogue, PARTNERSHIPS[1], [users["coordinator"], users["kempen"]])
    return _logins()
