"""Moving a claim through its lifecycle: the state machine's answer as a problem a caller can
act on (a 409 naming the state and every way on from it), and the move itself."""

from __future__ import annotations

from billing_service.claims.state_machine import (
    CONTINUATIONS,
    ClaimAction,
    ClaimStatus,
    Continuation,
    IllegalTransition,
    allowed_actions,
    next_status,
)
from billing_service.models.claim import Claim
from rcm_shared.audit import actor_of
from rcm_shared.auth import Principal
from rcm_shared.db import utcnow
from rcm_shared.problems import conflict

# The key id of billing's own work (claims it builds from coding-service's events): no API
# key has it, so it is recorded as it is rather than as a key.
SYSTEM_ACTOR = "system"


def actor(principal: Principal) -> str:
    """Who acted, named as coding-service names it: "key:<key id>" (or "system")."""
    return SYSTEM_ACTOR if principal.key_id == SYSTEM_ACTOR else actor_of(principal)


# How each action is taken, for the problems that name what works from a claim's status.
_HOW: dict[ClaimAction, str] = {
    ClaimAction.SUBMIT: "submit it (POST /v1/claims/{id}/submit)",
    ClaimAction.ACKNOWLEDGE: "wait for the payer's acknowledgment (accepted or rejected)",
    ClaimAction.ADJUDICATE: "wait for the payer's remittance",
    ClaimAction.READJUDICATE: "appeal the denial (POST /v1/claims/{id}/appeals)",
    ClaimAction.RESUBMIT: "resubmit it once its cause is fixed (POST /v1/claims/{id}/resubmit)",
    ClaimAction.CHANGE_COVERAGE: 'point it at another coverage (PATCH /v1/claims/{id} '
                                 '{{"coverage_id"}})',
    ClaimAction.CANCEL: "cancel it (POST /v1/claims/{id}/cancel)",
    ClaimAction.CORRECT: "replace it from a newer coding version "
                         "(POST /v1/claims/{id}/corrections)",
    ClaimAction.VOID: "void it (POST /v1/claims/{id}/void)",
}
_CONTINUE: dict[Continuation, str] = {
    Continuation.REPLACEMENT: "its replacement, claim {replaced_by}, stands for the visit",
    Continuation.BILL_ANEW: 'bill the encounter anew (POST /v1/claims {{"encounter_id": '
                            '"{encounter}"}})',
}


def ways_on(claim: Claim) -> str:
    """What leads on from the claim's status, as a sentence naming each way."""
    status = ClaimStatus(claim.status)
    actions = allowed_actions(status)
    if actions:
        ways = [_HOW[action].format(id=claim.id) for action in actions]
    else:
        ways = [_CONTINUE[CONTINUATIONS[status]].format(
            replaced_by=claim.replaced_by_claim_id, encounter=claim.encounter_id)]
    return f"From '{status}': {'; or '.join(ways)}."


def check_allowed(
    claim: Claim, action: ClaimAction, outcome: ClaimStatus | None = None, *,
    why: str | None = None,
) -> ClaimStatus:
    """The status `action` leads to; a 409 naming the state, the action and what works from
    that state (`why` says more of the refusal) if none."""
    current = ClaimStatus(claim.status)
    try:
        return next_status(current, action, outcome)
    except IllegalTransition as exc:
        extra: dict[str, object] = {}
        if current in CONTINUATIONS:
            extra["continuation"] = CONTINUATIONS[current].value
        raise conflict(
            f"Cannot {action.value} this claim: {why or exc}. {ways_on(claim)}",
            claim_status=current.value, action=action.value,
            allowed_actions=[a.value for a in allowed_actions(current)], **extra,
        ) from exc


def transition(
    claim: Claim, action: ClaimAction, outcome: ClaimStatus | None = None
) -> tuple[str, ClaimStatus]:
    """Move the claim per the state machine; returns (previous status, new status)."""
    previous = claim.status
    target = check_allowed(claim, action, outcome)
    claim.status = target.value
    claim.version += 1
    claim.updated_at = utcnow()
    return previous, target
