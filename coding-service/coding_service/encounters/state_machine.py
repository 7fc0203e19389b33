"""The encounter lifecycle: which action may move an encounter from which status. Pure.

    open --put codes--> open                  needs_clarification --put codes--> same
    open | needs_clarification --query--> needs_clarification
    needs_clarification --answer--> open (no query left open) | needs_clarification
    open --finalize--> finalized              (freezes coding version n)
    finalized --reopen--> open                (starts coding version n + 1)
"""

from __future__ import annotations

from enum import StrEnum


class EncounterStatus(StrEnum):
    OPEN = "open"
    NEEDS_CLARIFICATION = "needs_clarification"
    FINALIZED = "finalized"


class EncounterAction(StrEnum):
    PUT_CODES = "put codes on"
    QUERY = "query"
    ANSWER = "answer a query of"
    FINALIZE = "finalize"
    REOPEN = "reopen"


TRANSITIONS: dict[tuple[EncounterStatus, EncounterAction], frozenset[EncounterStatus]] = {
    (EncounterStatus.OPEN, EncounterAction.PUT_CODES): frozenset({EncounterStatus.OPEN}),
    (EncounterStatus.NEEDS_CLARIFICATION, EncounterAction.PUT_CODES): frozenset(
        {EncounterStatus.NEEDS_CLARIFICATION}
    ),
    (EncounterStatus.OPEN, EncounterAction.QUERY): frozenset(
        {EncounterStatus.NEEDS_CLARIFICATION}
    ),
    (EncounterStatus.NEEDS_CLARIFICATION, EncounterAction.QUERY): frozenset(
        {EncounterStatus.NEEDS_CLARIFICATION}
    ),
    (EncounterStatus.NEEDS_CLARIFICATION, EncounterAction.ANSWER): frozenset(
        {EncounterStatus.OPEN, EncounterStatus.NEEDS_CLARIFICATION}
    ),
    (EncounterStatus.OPEN, EncounterAction.FINALIZE): frozenset({EncounterStatus.FINALIZED}),
    (EncounterStatus.FINALIZED, EncounterAction.REOPEN): frozenset({EncounterStatus.OPEN}),
}


class IllegalTransition(Exception):
    def __init__(self, status: EncounterStatus, action: EncounterAction) -> None:
        self.status = status
        self.action = action
        super().__init__(f"Cannot {action.value} an encounter whose status is '{status.value}'.")


def allowed_actions(status: EncounterStatus) -> list[EncounterAction]:
    return [action for (source, action) in TRANSITIONS if source == status]


def next_status(
    status: EncounterStatus, action: EncounterAction, open_queries_left: int = 0
) -> EncounterStatus:
    """The status `action` leads to. An answer leads back to open only when it was the last
    open query."""
    targets = TRANSITIONS.get((status, action))
    if targets is None:
        raise IllegalTransition(status, action)
    if len(targets) == 1:
        return next(iter(targets))
    return (EncounterStatus.NEEDS_CLARIFICATION if open_queries_left
            else EncounterStatus.OPEN)
