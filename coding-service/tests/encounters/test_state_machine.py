"""The encounter lifecycle as DESIGN.md draws it, every (status, action) pair both ways."""

from __future__ import annotations

import itertools

import pytest

from coding_service.encounters.state_machine import (
    EncounterAction,
    EncounterStatus,
    IllegalTransition,
    allowed_actions,
    next_status,
)

OPEN = EncounterStatus.OPEN
ASKING = EncounterStatus.NEEDS_CLARIFICATION
FINALIZED = EncounterStatus.FINALIZED

LEGAL = {
    (OPEN, EncounterAction.PUT_CODES): OPEN,
    (ASKING, EncounterAction.PUT_CODES): ASKING,
    (OPEN, EncounterAction.QUERY): ASKING,
    (ASKING, EncounterAction.QUERY): ASKING,
    (ASKING, EncounterAction.ANSWER): OPEN,
    (OPEN, EncounterAction.FINALIZE): FINALIZED,
    (FINALIZED, EncounterAction.REOPEN): OPEN,
}


@pytest.mark.parametrize(("status", "action"), list(itertools.product(EncounterStatus,
                                                                       EncounterAction)))
def test_each_pair_is_legal_exactly_as_the_contract_says(
    status: EncounterStatus, action: EncounterAction
) -> None:
    if (status, action) in LEGAL:
        assert next_status(status, action) == LEGAL[status, action]
        assert action in allowed_actions(status)
    else:
        with pytest.raises(IllegalTransition, match=f"whose status is '{status.value}'"):
            next_status(status, action)
        assert action not in allowed_actions(status)


def test_an_answer_leaves_clarification_only_with_the_last_open_query() -> None:
    assert next_status(ASKING, EncounterAction.ANSWER, open_queries_left=1) == ASKING
    assert next_status(ASKING, EncounterAction.ANSWER, open_queries_left=0) == OPEN


def test_a_finalized_encounter_only_reopens() -> None:
    assert allowed_actions(FINALIZED) == [EncounterAction.REOPEN]
