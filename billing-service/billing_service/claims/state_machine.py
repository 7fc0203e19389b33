"""The claim lifecycle: which action may move a claim from which status to which. Pure.

    ready --submit--> submitted --acknowledge--> accepted | rejected
    accepted --adjudicate--> paid | partially_paid | denied
    rejected --resubmit--> submitted
    paid | partially_paid | denied --correct--> replaced   (a new claim, frequency 7)
    accepted | paid | partially_paid | denied --void--> voided   (frequency 8)
    crossed_over --adjudicate--> paid | partially_paid | denied   (the payer before forwarded it)
    denied | partially_paid --readjudicate--> paid | partially_paid | denied   (an appeal won)
    ready | rejected --change_coverage--> the same status   (another coverage, scrubbed again)
    ready | rejected --cancel--> canceled   (never accepted by a payer: nothing to void)

A replaced, voided or canceled claim is done; its visit goes on elsewhere (CONTINUATIONS).
"""

from __future__ import annotations

from enum import StrEnum

# Re-exported: every claim rule names the statuses from here.
from billing_service.models.claim import ClaimStatus as ClaimStatus


class ClaimAction(StrEnum):
    SUBMIT = "submit"
    ACKNOWLEDGE = "acknowledge"
    ADJUDICATE = "adjudicate"
    # The payer adjudicates the claim again (after an appeal it overturned): it reverses its
    # remittance and pays anew.
    READJUDICATE = "readjudicate"
    RESUBMIT = "resubmit"
    CHANGE_COVERAGE = "change_coverage"
    CANCEL = "cancel"
    CORRECT = "correct"
    VOID = "void"


# The payer's answers; a biller takes every other action.
PAYER_ACTIONS = frozenset({ClaimAction.ACKNOWLEDGE, ClaimAction.ADJUDICATE,
                           ClaimAction.READJUDICATE})
# No payer accepted these: a claim in them can still be changed or called off.
NEVER_ACCEPTED = (ClaimStatus.READY, ClaimStatus.REJECTED)


_ADJUDICATED = (ClaimStatus.PAID, ClaimStatus.PARTIALLY_PAID, ClaimStatus.DENIED)

TRANSITIONS: dict[tuple[ClaimStatus, ClaimAction], frozenset[ClaimStatus]] = {
    (ClaimStatus.READY, ClaimAction.SUBMIT): frozenset({ClaimStatus.SUBMITTED}),
    (ClaimStatus.SUBMITTED, ClaimAction.ACKNOWLEDGE): frozenset(
        {ClaimStatus.ACCEPTED, ClaimStatus.REJECTED}
    ),
    (ClaimStatus.ACCEPTED, ClaimAction.ADJUDICATE): frozenset(_ADJUDICATED),
    (ClaimStatus.CROSSED_OVER, ClaimAction.ADJUDICATE): frozenset(_ADJUDICATED),
    **{(status, ClaimAction.READJUDICATE): frozenset(_ADJUDICATED)
       for status in (ClaimStatus.DENIED, ClaimStatus.PARTIALLY_PAID)},
    (ClaimStatus.REJECTED, ClaimAction.RESUBMIT): frozenset({ClaimStatus.SUBMITTED}),
    **{(status, ClaimAction.CHANGE_COVERAGE): frozenset({status}) for status in NEVER_ACCEPTED},
    **{(status, ClaimAction.CANCEL): frozenset({ClaimStatus.CANCELED})
       for status in NEVER_ACCEPTED},
    **{(status, ClaimAction.CORRECT): frozenset({ClaimStatus.REPLACED}) for status in _ADJUDICATED},
    **{
        (status, ClaimAction.VOID): frozenset({ClaimStatus.VOIDED})
        for status in (ClaimStatus.ACCEPTED, *_ADJUDICATED)
    },
}

# Statuses no action leads out of: the visit's story goes on on another claim.
TERMINAL = frozenset({ClaimStatus.REPLACED, ClaimStatus.VOIDED, ClaimStatus.CANCELED})


class Continuation(StrEnum):
    """Where the visit goes on from a claim in a terminal status."""

    # Its replacement claim (replaced_by_claim_id) stands for the visit.
    REPLACEMENT = "replacement"
    # POST /v1/claims bills the encounter anew.
    BILL_ANEW = "bill_anew"


CONTINUATIONS: dict[ClaimStatus, Continuation] = {
    ClaimStatus.REPLACED: Continuation.REPLACEMENT,
    ClaimStatus.VOIDED: Continuation.BILL_ANEW,
    ClaimStatus.CANCELED: Continuation.BILL_ANEW,
}


class IllegalTransition(Exception):
    def __init__(self, status: ClaimStatus, action: ClaimAction, outcome: ClaimStatus | None):
        self.status = status
        self.action = action
        self.outcome = outcome
        if (status, action) in TRANSITIONS:
            message = f"'{action}' cannot lead from '{status}' to '{outcome}'"
        else:
            message = f"a claim in status '{status}' cannot be {_past(action)}"
        super().__init__(message)


def _past(action: ClaimAction) -> str:
    return {
        ClaimAction.SUBMIT: "submitted",
        ClaimAction.ACKNOWLEDGE: "acknowledged",
        ClaimAction.ADJUDICATE: "adjudicated",
        ClaimAction.READJUDICATE: "adjudicated again",
        ClaimAction.RESUBMIT: "resubmitted",
        ClaimAction.CHANGE_COVERAGE: "pointed at another coverage",
        ClaimAction.CANCEL: "canceled",
        ClaimAction.CORRECT: "corrected",
        ClaimAction.VOID: "voided",
    }[action]


def next_status(
    status: ClaimStatus, action: ClaimAction, outcome: ClaimStatus | None = None
) -> ClaimStatus:
    """The status after `action`; `outcome` picks among several (the payer's answer).

    Raises IllegalTransition when the action is not allowed from `status`, or the outcome
    is not one the action can lead to.
    """
    targets = TRANSITIONS.get((status, action))
    if targets is None:
        raise IllegalTransition(status, action, outcome)
    if outcome is None:
        if len(targets) != 1:
            raise IllegalTransition(status, action, outcome)
        return next(iter(targets))
    if outcome not in targets:
        raise IllegalTransition(status, action, outcome)
    return outcome


def allowed_actions(status: ClaimStatus) -> list[ClaimAction]:
    """What a biller or the payer may do next, in lifecycle order."""
    return [action for action in ClaimAction if (status, action) in TRANSITIONS]


def awaiting_its_payer(status: ClaimStatus) -> bool:
    """Sent and not answered yet: only its payer's answer moves it (it can be neither called
    off, voided nor replaced before)."""
    return not {ClaimAction.CANCEL, ClaimAction.CORRECT, ClaimAction.VOID} & set(
        allowed_actions(status)) and status not in TERMINAL
