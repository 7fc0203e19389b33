"""The claim lifecycle, every status x action pair: legal ones lead where the contract says,
every other one is refused."""

from __future__ import annotations

import itertools

import pytest

from billing_service.claims.state_machine import (
    CONTINUATIONS,
    TERMINAL,
    TRANSITIONS,
    ClaimAction,
    ClaimStatus,
    Continuation,
    IllegalTransition,
    allowed_actions,
    awaiting_its_payer,
    next_status,
)

S = ClaimStatus
A = ClaimAction

# The contract, written out independently of the module's table.
LEGAL: dict[tuple[ClaimStatus, ClaimAction], set[ClaimStatus]] = {
    (S.READY, A.SUBMIT): {S.SUBMITTED},
    (S.SUBMITTED, A.ACKNOWLEDGE): {S.ACCEPTED, S.REJECTED},
    (S.ACCEPTED, A.ADJUDICATE): {S.PAID, S.PARTIALLY_PAID, S.DENIED},
    (S.REJECTED, A.RESUBMIT): {S.SUBMITTED},
    (S.PAID, A.CORRECT): {S.REPLACED},
    (S.PARTIALLY_PAID, A.CORRECT): {S.REPLACED},
    (S.DENIED, A.CORRECT): {S.REPLACED},
    (S.ACCEPTED, A.VOID): {S.VOIDED},
    (S.PAID, A.VOID): {S.VOIDED},
    (S.PARTIALLY_PAID, A.VOID): {S.VOIDED},
    (S.DENIED, A.VOID): {S.VOIDED},
    (S.CROSSED_OVER, A.ADJUDICATE): {S.PAID, S.PARTIALLY_PAID, S.DENIED},
    (S.READY, A.CHANGE_COVERAGE): {S.READY},
    (S.REJECTED, A.CHANGE_COVERAGE): {S.REJECTED},
    (S.READY, A.CANCEL): {S.CANCELED},
    (S.REJECTED, A.CANCEL): {S.CANCELED},
    (S.DENIED, A.READJUDICATE): {S.PAID, S.PARTIALLY_PAID, S.DENIED},
    (S.PARTIALLY_PAID, A.READJUDICATE): {S.PAID, S.PARTIALLY_PAID, S.DENIED},
}
ALL_PAIRS = list(itertools.product(ClaimStatus, ClaimAction))
ILLEGAL_PAIRS = [pair for pair in ALL_PAIRS if pair not in LEGAL]


def test_every_pair_is_covered_once() -> None:
    assert len(ALL_PAIRS) == 11 * 9
    assert len(ILLEGAL_PAIRS) == len(ALL_PAIRS) - len(LEGAL)


@pytest.mark.parametrize(("status", "action"), list(LEGAL))
def test_legal_transition_reaches_each_contract_outcome(
    status: ClaimStatus, action: ClaimAction
) -> None:
    for outcome in LEGAL[(status, action)]:
        assert next_status(status, action, outcome) is outcome
    for outcome in set(ClaimStatus) - LEGAL[(status, action)]:
        with pytest.raises(IllegalTransition):
            next_status(status, action, outcome)


@pytest.mark.parametrize(("status", "action"), list(LEGAL))
def test_single_outcome_needs_no_choice_and_several_need_one(
    status: ClaimStatus, action: ClaimAction
) -> None:
    targets = LEGAL[(status, action)]
    if len(targets) == 1:
        assert next_status(status, action) is next(iter(targets))
    else:
        with pytest.raises(IllegalTransition):
            next_status(status, action)


@pytest.mark.parametrize(("status", "action"), ILLEGAL_PAIRS)
def test_illegal_transition_is_refused_naming_state_and_action(
    status: ClaimStatus, action: ClaimAction
) -> None:
    with pytest.raises(IllegalTransition) as raised:
        next_status(status, action)
    assert raised.value.status is status
    assert raised.value.action is action
    assert status.value in str(raised.value)


@pytest.mark.parametrize("status", list(ClaimStatus))
def test_allowed_actions_match_the_contract(status: ClaimStatus) -> None:
    expected = [action for action in ClaimAction if (status, action) in LEGAL]
    assert allowed_actions(status) == expected


def test_replaced_voided_and_canceled_are_final() -> None:
    assert allowed_actions(S.REPLACED) == []
    assert allowed_actions(S.VOIDED) == []
    assert allowed_actions(S.CANCELED) == []


@pytest.mark.parametrize("status", list(ClaimStatus))
def test_from_every_status_something_leads_on(status: ClaimStatus) -> None:
    """Walking the table: an action leads from the status to another one, or the status is
    final and the visit goes on on another claim."""
    onward = {target for (source, _), targets in TRANSITIONS.items() if source is status
              for target in targets} - {status}
    if status in TERMINAL:
        assert not onward
        assert CONTINUATIONS[status] in set(Continuation)
    else:
        assert onward, f"nothing leads on from {status}"
        assert status not in CONTINUATIONS
    assert set(CONTINUATIONS) == TERMINAL


def test_only_a_claim_no_payer_accepted_is_canceled_or_pointed_elsewhere() -> None:
    for action in (A.CANCEL, A.CHANGE_COVERAGE):
        assert {status for status in ClaimStatus if action in allowed_actions(status)} == {
            S.READY, S.REJECTED}


@pytest.mark.parametrize("status", list(ClaimStatus))
def test_a_claim_awaits_its_payer_only_once_sent_and_before_any_answer(status) -> None:
    # Submitted, or forwarded by the payer before (a crossover): nothing a biller or billing
    # may do to it until its payer answers; every other status can be acted on or is done.
    assert awaiting_its_payer(status) is (status in (S.SUBMITTED, S.CROSSED_OVER))
