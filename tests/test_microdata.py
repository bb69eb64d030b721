"""The row-level export's classes (scan.microdata): generalise before leaving out."""

from __future__ import annotations

from scan.microdata import ANYONE, Person, k_anonymous, shown_of, theme_rows

K = 3
SCHOOL_A = ("school", "schoolopleider")
SCHOOL_B = ("school", "werkplekbegeleider")
INSTITUTE = ("instituut", "instituutsopleider")


def _people(*groups: tuple) -> dict[int, Person]:
    """groups: (pair, how many, statements asked[, batch])."""
    found, n = {}, 0
    for pair, count, asked, *batch in groups:
        for _ in range(count):
            n += 1
            found[n] = Person(pair, batch[0] if batch else 1, frozenset(asked),
                              frozenset(asked))
    return found


def always(_choice) -> bool:
    return True


def test_two_small_routing_patterns_share_the_statements_they_both_had():
    """Two and two people asked different statements: each pattern alone is too small
    (leaving out would drop all four); merged they show s1, blanking s2 and s3."""
    people = _people((SCHOOL_A, 2, {"s1", "s2"}), (INSTITUTE, 2, {"s1", "s3"}))
    choice = theme_rows(people, K, always)
    assert choice == {SCHOOL_A: (ANYONE, frozenset({"s1"})),
                      INSTITUTE: (ANYONE, frozenset({"s1"}))}
    assert k_anonymous(list(people.values()), choice, K)


def test_labels_are_refined_where_k_people_share_them():
    people = _people((SCHOOL_A, 3, {"s1", "s2"}), (INSTITUTE, 4, {"s1", "s2"}))
    choice = theme_rows(people, K, always)
    assert choice == {SCHOOL_A: (SCHOOL_A, frozenset({"s1", "s2"})),
                      INSTITUTE: (INSTITUTE, frozenset({"s1", "s2"}))}


def test_a_type_label_where_its_roles_alone_are_too_small():
    people = _people((SCHOOL_A, 2, {"s1"}), (SCHOOL_B, 2, {"s1"}), (INSTITUTE, 3, {"s1"}))
    choice = theme_rows(people, K, always)
    assert choice[SCHOOL_A][0] == choice[SCHOOL_B][0] == ("school", "*")
    assert choice[INSTITUTE][0] == INSTITUTE


def test_rows_that_share_nothing_with_a_large_enough_class_are_left_out():
    people = _people((SCHOOL_A, 1, {"s1"}), (INSTITUTE, 4, {"s2"}))
    choice = theme_rows(people, K, always)
    assert choice[SCHOOL_A] is None
    assert choice[INSTITUTE] == (INSTITUTE, frozenset({"s2"}))


def test_the_audit_has_the_last_word():
    """Whatever k allows, a choice the release's audit refuses is never made."""
    people = _people((SCHOOL_A, 3, {"s1"}), (INSTITUTE, 3, {"s1"}))
    choice = theme_rows(people, K, lambda c: c.get(SCHOOL_A) is None)
    assert choice[SCHOOL_A] is None and choice[INSTITUTE] is not None


def test_k_people_in_every_release_batch():
    """Three people in the first release, one more in the second: the second export
    would show a combination of one person that the first did not."""
    people = _people((SCHOOL_A, 3, {"s1"}, 1), (SCHOOL_A, 1, {"s1"}, 2))
    assert theme_rows(people, K, always) == {SCHOOL_A: None}


def test_someone_without_a_value_on_the_shown_statements_has_no_row():
    person = Person(SCHOOL_A, 1, frozenset({"s1", "s2"}), frozenset({"s2"}))
    assert shown_of(person, {SCHOOL_A: (ANYONE, frozenset({"s1"}))}) is None
