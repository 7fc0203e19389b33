"""Type-ahead search over the April 2026 edition."""

from __future__ import annotations

import pytest


def codes(edition, query, limit=20):
    return [c.code for c in edition.search(query, limit)]


def test_type_2_diabetes_ranks_e11_first(edition):
    found = codes(edition, "type 2 diabetes")
    assert found[0] == "E11"
    assert all(code.startswith("E11") for code in found[:10])


def test_the_last_word_matches_as_a_prefix_while_typing(edition):
    assert codes(edition, "type 2 diab")[:5] == codes(edition, "type 2 diabetes")[:5]
    assert codes(edition, "asth")[0] == "J45"
    # Once the word is finished (a trailing space), it must match whole.
    assert codes(edition, "asth ") == []


def test_diabetes_ranks_the_diabetes_mellitus_categories_high(edition):
    top = codes(edition, "diabetes", limit=10)
    assert {"E08", "E10", "E11", "E13"} <= set(top)


@pytest.mark.parametrize(
    ("query", "first"),
    [("asthma", "J45"), ("heart failure", "I50"), ("migraine", "G43"),
     ("knee osteoarthritis", "M17"), ("low back pain", "M54.5"), ("covid", "U07.1")],
)
def test_common_conditions_find_their_codes_first(edition, query, first):
    assert codes(edition, query)[0] == first


def test_every_query_word_must_be_in_the_title(edition):
    for code in edition.search("fracture femur", 20):
        title = code.title.lower()
        assert "fracture" in title and "femur" in title


def test_accents_and_case_do_not_matter(edition):
    assert codes(edition, "CHARCOT JOINT")[:3] == codes(edition, "Charcôt's joint")[:3]
    assert codes(edition, "charcot joint")[0] == "M14.6"


@pytest.mark.parametrize(
    ("query", "first"),
    [("E11", "E11"), ("e11.6", "E11.6"), ("E116", "E11.6"), ("s72.001", "S72.001"),
     ("QA0", "QA0")],
)
def test_a_code_prefix_lists_codes_in_code_order(edition, query, first):
    found = codes(edition, query)
    assert found[0] == first
    assert found == sorted(found, key=lambda c: c.replace(".", ""))
    assert all(c.replace(".", "").startswith(first.replace(".", "")) for c in found)


def test_a_word_missing_from_every_title_does_not_empty_the_results(edition):
    # A misspelled word is left out, and the codes holding the others follow.
    found = codes(edition, "asthma xyzzy")
    assert found and found[0] == "J45"


def test_codes_holding_every_word_come_before_codes_missing_one(edition):
    words = ("acute", "bronchitis", "due", "rhinovirus")
    found = edition.search("acute bronchitis due to rhinovirus", 20)
    assert found[0].code == "J20.6"
    assert len(found) > 1
    for code in found[1:]:
        held = [w for w in words if w in code.title.lower()]
        assert len(held) == len(words) - 1


@pytest.mark.parametrize("query", ["", "   ", "of the ", "!!!"])
def test_an_empty_query_finds_nothing(edition, query):
    assert codes(edition, query) == []


@pytest.mark.parametrize("limit", [1, 3, 100])
def test_the_limit_is_respected(edition, limit):
    assert len(codes(edition, "fracture", limit)) == limit
    assert len(codes(edition, "S72", limit)) == limit
