"""Reading and validating question files: every problem, with its file and line.

Authors fix a whole batch of problems at once, so the reader collects them
instead of stopping at the first; `scan check` prints them as file:line: message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from scan.questions import (
    CARD_KINDS,
    FIRST_PERSON,
    LANGUAGES,
    RESPONDENT_ROLES,
    SECTORS,
    Card,
    Catalogue,
    Deck,
    Dimension,
    Framework,
    Item,
    QuestionSet,
    Rubric,
    Scale,
    ScalePoint,
    Source,
    Standard,
    Text,
)

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class QuestionFileError(Exception):
    """Raised when question files are invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Node(dict):
    """A YAML mapping that remembers its line and the line of each key."""

    line = 0
    key_lines: dict


# libyaml's parser when PyYAML was built with it (the wheels are): the bundled question
# files parse in 0.08 s instead of 1 s of CPU, at every start of the app and of each
# worker; the same safe constructor and the same line numbers (start_mark) either way.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):
    def construct_mapping(self, node, deep=False):
        # PyYAML keeps the last of two equal keys without a word; a second
        # `items:` would silently drop a list of statements.
        seen = set()
        for key_node, _value in node.value:
            key = key_node.value
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' appears twice in one mapping",
                    key_node.start_mark)
            seen.add(key)
        mapping = _Node(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
        return mapping


# Build every mapping through construct_mapping, the top level included.
_LineLoader.add_constructor(
    "tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node, deep=True))


class _Reader:
    """Reads one file's parsed YAML, collecting problems instead of failing fast."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.file = str(path)
        self.problems = problems

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def mapping(self, node, where: str, line: int) -> _Node | None:
        if isinstance(node, _Node):
            return node
        self.problem(line, f"{where} must be a mapping")
        return None

    def keys(self, node: _Node, required: set, optional: set, where: str) -> bool:
        ok = True
        for key in sorted(required - node.keys()):
            self.problem(node.line, f"{where}: missing '{key}'")
            ok = False
        for key in sorted(node.keys() - required - optional, key=str):
            self.problem(node.key_lines.get(key, node.line), f"{where}: unknown key '{key}'")
        return ok

    def line_of(self, node: _Node, key: str) -> int:
        return node.key_lines.get(key, node.line)

    def text(self, node: _Node, key: str, where: str) -> Text:
        value = node.get(key)
        line = self.line_of(node, key)
        if not isinstance(value, _Node):
            self.problem(line, f"{where}.{key} must have 'nl' and 'en' texts")
            return Text("", "")
        for lang in LANGUAGES:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                self.problem(line, f"{where}.{key}: the '{lang}' text is missing or empty")
        for extra in sorted(value.keys() - set(LANGUAGES), key=str):
            self.problem(line, f"{where}.{key}: unknown language '{extra}'")
        return Text(str(value.get("nl") or "").strip(), str(value.get("en") or "").strip())

    def _listed_text(self, value, where: str, line: int) -> Text:
        """A text that is an element of a list (no key of its own to point at)."""
        holder = _Node(level=value)
        holder.line, holder.key_lines = line, {"level": getattr(value, "line", 0) or line}
        return self.text(holder, "level", where)

    def ident(self, node: _Node, where: str) -> str:
        value = node.get("id")
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.problem(self.line_of(node, "id"),
                         f"{where}: id {value!r} must be lowercase letters, digits and hyphens")
            return str(value)
        return value

    def tags(self, node: _Node, where: str) -> dict:
        tags = node.get("tags", {})
        if not isinstance(tags, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in tags.items()
        ):
            self.problem(self.line_of(node, "tags"), f"{where}: tags must map text to text")
            return {}
        return dict(tags)

    def roles(self, node: _Node, where: str, default: frozenset) -> frozenset:
        """Who is asked: a list of known respondent roles; absent means `default`."""
        if "roles" not in node:
            return default
        value, line = node["roles"], self.line_of(node, "roles")
        if not isinstance(value, list) or not value or not all(isinstance(r, str) for r in value):
            self.problem(line, f"{where}: roles must be a list of at least one role")
            return default
        for role in value:
            if role not in RESPONDENT_ROLES:
                self.problem(line, f"{where}: unknown role '{role}' "
                                   f"(known: {', '.join(RESPONDENT_ROLES)})")
        return frozenset(value)

    def sector_texts(self, node: _Node, where: str) -> dict:
        if "sector" not in node:
            return {}
        value = node["sector"]
        if not isinstance(value, _Node):
            self.problem(self.line_of(node, "sector"),
                         f"{where}: sector must map po/vo/mbo to texts")
            return {}
        for sector in sorted(value.keys() - set(SECTORS), key=str):
            self.problem(value.key_lines.get(sector, value.line),
                         f"{where}: unknown sector '{sector}' (known: {', '.join(SECTORS)})")
        return {sector: self.text(value, sector, f"{where}.sector")
                for sector in SECTORS if sector in value}

    def rubric(self, node: _Node, where: str) -> Rubric | None:
        if "rubric" not in node:
            return None
        value = self.mapping(node["rubric"], f"{where}.rubric", self.line_of(node, "rubric"))
        if value is None or not self.keys(value, {"lowest", "highest"}, {"between"},
                                          f"{where}.rubric"):
            return None
        between = ()
        if "between" in value:
            texts = self.sequence(value, "between", f"{where}.rubric")
            between = tuple(self._listed_text(t, f"{where}.rubric.between[{i}]",
                                              self.line_of(value, "between"))
                            for i, t in enumerate(texts))
        return Rubric(self.text(value, "lowest", f"{where}.rubric"),
                      self.text(value, "highest", f"{where}.rubric"), between)

    def sequence(self, node: _Node, key: str, where: str, minimum: int = 1) -> list:
        value = node.get(key)
        if not isinstance(value, list) or len(value) < minimum:
            self.problem(self.line_of(node, key),
                         f"{where}.{key} must be a list of at least {minimum}")
            return []
        return value


def _parse(path: Path, problems: list[Problem]) -> _Node | None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(str(path), mark.line + 1 if mark else 1,
                                f"not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), 1, f"cannot read: {exc}"))
        return None
    if not isinstance(data, _Node):
        problems.append(Problem(str(path), 1, "the file must hold a mapping"))
        return None
    return data


def _root(path: Path, problems: list[Problem], kind: str, required: set,
          optional: set) -> tuple[_Reader, _Node, str] | None:
    """A file's top mapping, checked as every kind of file is: its keys, and an id that
    matches the file name. None when the file cannot be read as a mapping."""
    root = _parse(path, problems)
    if root is None:
        return None
    r = _Reader(path, problems)
    r.keys(root, required, optional, kind)
    ident = r.ident(root, kind)
    if ident != path.stem:
        r.problem(r.line_of(root, "id"), f"{kind} id '{ident}' must match the file name")
    return r, root, ident


def _scale_point(r: _Reader, node, where: str, line: int) -> ScalePoint | None:
    node = r.mapping(node, where, line)
    if node is None or not r.keys(node, {"value", "label"}, set(), where):
        return None
    value = node["value"]
    if not isinstance(value, int) or isinstance(value, bool):
        r.problem(r.line_of(node, "value"), f"{where}: value must be a whole number")
        return None
    return ScalePoint(value, r.text(node, "label", where))


def _scale(r: _Reader, root: _Node) -> Scale | None:
    node = r.mapping(root.get("scale"), "scale", r.line_of(root, "scale"))
    if node is None or not r.keys(node, {"points", "dont_know"}, set(), "scale"):
        return None
    points = [_scale_point(r, p, f"scale.points[{i}]", node.line)
              for i, p in enumerate(r.sequence(node, "points", "scale", minimum=2))]
    dont_know = _scale_point(r, node["dont_know"], "scale.dont_know", r.line_of(node, "dont_know"))
    if None in points or dont_know is None or len(points) < 2:
        return None
    values = [p.value for p in points]
    if values != sorted(set(values)):
        r.problem(r.line_of(node, "points"), "scale: point values must strictly increase")
    if dont_know.value in values:
        r.problem(r.line_of(node, "dont_know"),
                  "scale: the don't-know value must differ from every scale point")
    return Scale(tuple(points), dont_know)


def _item(r: _Reader, node, where: str, line: int, roles: frozenset) -> Item | None:
    node = r.mapping(node, where, line)
    if node is None:
        return None
    r.keys(node, {"id", "text"},
           {"tags", "roles", "sector", "first_person", "first_person_sector"}, where)
    first_person = None
    if "first_person" in node:
        first_person = r.text(node, "first_person", where)
        _check_first_person(r, first_person, r.line_of(node, "first_person"),
                            f"{where}.first_person")
    return Item(r.ident(node, where), r.text(node, "text", where), r.tags(node, where),
                r.line_of(node, "id"), r.roles(node, where, roles), r.sector_texts(node, where),
                first_person, _first_person_sector(r, node, first_person, where))


def _check_first_person(r: _Reader, text: Text, line: int, where: str) -> None:
    if text.nl and not FIRST_PERSON.search(text.nl):
        r.problem(line, f"{where}: the Dutch text has no ik, mij, me or mijn")


def _first_person_sector(r: _Reader, node: _Node, first_person: Text | None,
                         where: str) -> dict:
    """The first-person wording per sector: a text, or `same` when the item's general
    first-person text reads right in that sector (stored as that text)."""
    if "first_person_sector" not in node:
        return {}
    line = r.line_of(node, "first_person_sector")
    if first_person is None:
        r.problem(line, f"{where}: first_person_sector needs a first_person text")
        return {}
    value = node["first_person_sector"]
    if not isinstance(value, _Node):
        r.problem(line, f"{where}: first_person_sector must map po/vo/mbo to texts or 'same'")
        return {}
    wordings = {}
    for sector in sorted(value.keys() - set(SECTORS), key=str):
        r.problem(value.key_lines.get(sector, value.line),
                  f"{where}: unknown sector '{sector}' (known: {', '.join(SECTORS)})")
    for sector in (s for s in SECTORS if s in value):
        if value[sector] == "same":
            wordings[sector] = first_person
            continue
        if not isinstance(value[sector], _Node):
            r.problem(value.key_lines.get(sector, value.line),
                      f"{where}.first_person_sector.{sector} must be 'same' or have "
                      f"'nl' and 'en' texts")
            continue
        text = r.text(value, sector, f"{where}.first_person_sector")
        _check_first_person(r, text, value.key_lines.get(sector, value.line),
                            f"{where}.first_person_sector.{sector}")
        wordings[sector] = text
    return wordings


def _dimension(r: _Reader, node, where: str, line: int) -> Dimension | None:
    node = r.mapping(node, where, line)
    if node is None:
        return None
    r.keys(node, {"id", "title", "help", "items"}, {"tags", "roles", "rubric", "short_help"},
           where)
    dim_id = r.ident(node, where)
    # A dimension's roles are the default for its items; an item may narrow or widen them.
    roles = r.roles(node, where, frozenset(RESPONDENT_ROLES))
    items = [_item(r, it, f"{where} {dim_id} item {i + 1}", node.line, roles)
             for i, it in enumerate(r.sequence(node, "items", where))]
    help_text = r.text(node, "help", where)
    return Dimension(dim_id, r.text(node, "title", where), help_text,
                     tuple(i for i in items if i), r.tags(node, where), r.line_of(node, "id"),
                     r.rubric(node, where), _short_help(r, node, where, help_text))


def _short_help(r: _Reader, node: _Node, where: str, full: Text) -> Text | None:
    """The short introduction must be shorter than the help it stands in for."""
    if "short_help" not in node:
        return None
    short = r.text(node, "short_help", where)
    for lang in LANGUAGES:
        if short(lang) and len(short(lang).split()) >= len(full(lang).split()):
            r.problem(r.line_of(node, "short_help"),
                      f"{where}.short_help: the '{lang}' text must be shorter than help")
    return short


def _source(r: _Reader, node, line: int) -> Source | None:
    node = r.mapping(node, "source", line)
    if node is None or not r.keys(node, {"authors", "year", "title"}, set(), "source"):
        return None
    if not isinstance(node["year"], int):
        r.problem(r.line_of(node, "year"), "source: year must be a number")
    return Source(str(node["authors"]), node["year"], str(node["title"]))


def read_set(path: Path, problems: list[Problem]) -> QuestionSet | None:
    """Read one question set file; append what is wrong with it to problems."""
    read = _root(path, problems, "set", {"id", "version", "title", "description", "audience",
                                         "scale", "dimensions"}, {"sources"})
    if read is None:
        return None
    r, root, set_id = read
    version = root.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        r.problem(r.line_of(root, "version"), "set: version must be a positive whole number")
    sources = [_source(r, s, root.line) for s in root.get("sources") or []]
    dims = [_dimension(r, d, f"dimension {i + 1}", root.line)
            for i, d in enumerate(r.sequence(root, "dimensions", "set"))]
    scale = _scale(r, root)
    if scale is None:
        return None
    for dim in (d for d in dims if d and d.rubric and d.rubric.between):
        if len(dim.rubric.between) != len(scale.points) - 2:
            r.problem(dim.line, f"dimension {dim.id}: rubric.between must describe each of the "
                                f"{len(scale.points) - 2} points between the lowest and the "
                                f"highest, in order (it has {len(dim.rubric.between)})")
    return QuestionSet(set_id, version if isinstance(version, int) else 0,
                       r.text(root, "title", "set"), r.text(root, "description", "set"),
                       r.text(root, "audience", "set"), tuple(s for s in sources if s),
                       scale, tuple(d for d in dims if d))


def _card(r: _Reader, node, deck_id: str, where: str, line: int) -> Card | None:
    node = r.mapping(node, where, line)
    if node is None:
        return None
    r.keys(node, {"id", "question", "follow_up", "dimensions"}, {"kind", "tip"}, where)
    card_id = r.ident(node, where)
    where = f"card {card_id}"
    kind = node.get("kind")
    if kind is not None and kind not in CARD_KINDS:
        r.problem(r.line_of(node, "kind"), f"{where}: kind must be one of {', '.join(CARD_KINDS)}")
    follow_up = []
    for i, f in enumerate(r.sequence(node, "follow_up", where, minimum=1)):
        holder = _Node({"q": f})
        holder.line, holder.key_lines = node.line, {"q": r.line_of(node, "follow_up")}
        follow_up.append(r.text(holder, "q", f"{where}.follow_up[{i}]"))
    dims = r.sequence(node, "dimensions", where)
    if not all(isinstance(d, str) for d in dims):
        r.problem(r.line_of(node, "dimensions"), f"{where}: dimensions must be ids")
    tip = r.text(node, "tip", where) if "tip" in node else None
    return Card(card_id, deck_id, r.text(node, "question", where), tuple(follow_up),
                tuple(str(d) for d in dims), kind, tip, r.line_of(node, "dimensions"))


def read_deck(path: Path, problems: list[Problem]) -> Deck | None:
    """Read one card deck file; append what is wrong with it to problems."""
    read = _root(path, problems, "deck", {"id", "title", "description", "cards"}, {"set"})
    if read is None:
        return None
    r, root, deck_id = read
    cards = [_card(r, c, deck_id, f"card {i + 1}", root.line)
             for i, c in enumerate(r.sequence(root, "cards", "deck"))]
    return Deck(deck_id, r.text(root, "title", "deck"), r.text(root, "description", "deck"),
                tuple(c for c in cards if c), root.get("set"))


def _check_unique(kind: str, owners: list[tuple], problems: list[Problem]) -> None:
    """Ids are unique over all files; (id, file, line) points at the second use."""
    seen: dict[str, str] = {}
    for ident, file, *line in owners:
        if ident in seen:
            problems.append(Problem(file, line[0] if line and line[0] else 1,
                                    f"{kind} id '{ident}' is also used in {seen[ident]}"))
        seen.setdefault(ident, file)


def _unknown(names, known, where: tuple[str, int], who: str, what: str,
             problems: list[Problem]) -> None:
    """Each name (a set, theme or deck a file points at) must be one of known;
    where is (file, line) of the pointing."""
    problems += [Problem(*where, f"{who}: unknown {what} '{name}'")
                 for name in names if name not in known]


def _check_links(catalogue: Catalogue, files: dict[str, str], problems: list[Problem]) -> None:
    dimensions = catalogue.dimension_index()
    for deck in catalogue.decks.values():
        _unknown([deck.set] if deck.set is not None else [], catalogue.sets,
                 (files[deck.id], 1), f"deck {deck.id}", "set", problems)
        for card in deck.cards:
            _unknown(card.dimensions, dimensions, (files[deck.id], card.line),
                     f"card {card.id}", "dimension", problems)


def _ids(r: _Reader, node: _Node, key: str, where: str, minimum: int) -> tuple[str, ...]:
    """A list of ids (dimensions, decks) a framework's standard points at."""
    if key not in node and minimum == 0:
        return ()
    value = r.sequence(node, key, where, minimum=max(minimum, 1))
    if not all(isinstance(v, str) for v in value):
        r.problem(r.line_of(node, key), f"{where}: {key} must be a list of ids")
        return ()
    if len(set(value)) != len(value):
        r.problem(r.line_of(node, key), f"{where}: {key} lists an id twice")
    return tuple(value)


def _standard(r: _Reader, node, where: str, line: int) -> Standard | None:
    node = r.mapping(node, where, line)
    if node is None:
        return None
    r.keys(node, {"id", "title", "description", "dimensions"}, {"decks"}, where)
    standard_id = r.ident(node, where)
    where = f"standard {standard_id}"
    return Standard(standard_id, r.text(node, "title", where), r.text(node, "description", where),
                    _ids(r, node, "dimensions", where, 1), _ids(r, node, "decks", where, 0),
                    r.line_of(node, "id"), dict(node.key_lines))


def read_framework(path: Path, problems: list[Problem]) -> Framework | None:
    """Read one framework file (questions/frameworks/*.yaml); append its problems."""
    read = _root(path, problems, "framework", {"id", "title", "description", "standards"},
                 {"source"})
    if read is None:
        return None
    r, root, framework_id = read
    source = root.get("source", "")
    if not isinstance(source, str):
        r.problem(r.line_of(root, "source"), "framework: source must be a text")
        source = ""
    standards = [_standard(r, s, f"standard {i + 1}", root.line)
                 for i, s in enumerate(r.sequence(root, "standards", "framework"))]
    standards = tuple(s for s in standards if s)
    _check_unique("standard", [(s.id, str(path), s.line) for s in standards], problems)
    return Framework(framework_id, r.text(root, "title", "framework"),
                     r.text(root, "description", "framework"), standards, source.strip())


def _check_framework_links(catalogue: Catalogue, files: dict[str, str],
                           problems: list[Problem]) -> None:
    """Every theme and deck a standard names must exist in the sets and decks."""
    dimensions = catalogue.dimension_index()
    for framework in catalogue.frameworks.values():
        for standard in framework.standards:
            file, who, lines = files[framework.id], f"standard {standard.id}", standard.key_lines
            _unknown(standard.dimensions, dimensions,
                     (file, lines.get("dimensions", standard.line)), who, "dimension", problems)
            _unknown(standard.decks, catalogue.decks,
                     (file, lines.get("decks", standard.line)), who, "deck", problems)


def load_catalogue(folder: Path) -> Catalogue:
    """Load and validate every set in folder and every deck in folder/decks.

    Raises QuestionFileError listing all problems, so an author fixes them in one go.
    """
    problems: list[Problem] = []
    set_paths = sorted(Path(folder).glob("*.yaml"))
    deck_paths = sorted((Path(folder) / "decks").glob("*.yaml"))
    read_sets = [(read_set(p, problems), str(p)) for p in set_paths]
    read_decks = [(read_deck(p, problems), str(p)) for p in deck_paths]
    read_frameworks = [(read_framework(p, problems), str(p))
                       for p in sorted((Path(folder) / "frameworks").glob("*.yaml"))]
    sets = [s for s, _ in read_sets if s]
    decks = [d for d, _ in read_decks if d]
    set_files = {s.id: f for s, f in read_sets if s}
    deck_files = {d.id: f for d, f in read_decks if d}
    _check_unique("set", [(s.id, set_files[s.id]) for s in sets], problems)
    _check_unique("dimension", [(d.id, set_files[s.id], d.line) for s in sets
                                for d in s.dimensions], problems)
    _check_unique("item", [(i.id, set_files[s.id], i.line) for s in sets for i in s.items],
                  problems)
    _check_unique("card", [(c.id, deck_files[d.id]) for d in decks for c in d.cards], problems)
    frameworks = {f.id: f for f, _ in read_frameworks if f}
    catalogue = Catalogue({s.id: s for s in sets}, {d.id: d for d in decks}, frameworks)
    _check_links(catalogue, deck_files, problems)
    _check_framework_links(catalogue, {f.id: p for f, p in read_frameworks if f}, problems)
    if not set_paths:
        problems.append(Problem(str(folder), 0, "no question sets (*.yaml) found"))
    if problems:
        raise QuestionFileError(problems)
    return catalogue
