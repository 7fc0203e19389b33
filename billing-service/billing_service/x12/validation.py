"""Validating an X12 file: pyx12 against its implementation guide map (segment order, loop
repeats, required and unused elements, lengths, data types, envelope counts and the code
lists it ships: internal ones and states, place of service, claim status, remark codes), then
billing's own checks of what pyx12 does not know (x12/checks.py).

pyx12's command-line exit code says nothing and its report visitors skip the envelope
segments' element errors, so its error handler's records are collected as it raises them.
"""

from __future__ import annotations

import io
import logging
import threading

import pyx12.errors
import pyx12.params
import pyx12.x12n_document

from billing_service.x12 import ack277, claim837, remit835
from billing_service.x12.ack277 import read_277ca
from billing_service.x12.checks import claim_issues, claim_payment_issues, payment_issues
from billing_service.x12.claim837 import read_837p
from billing_service.x12.remit835 import read_835
from billing_service.x12.syntax import X12ReadError, read_interchange

_ERROR_LOGGER = logging.getLogger("pyx12.error_handler")
# One validation at a time: the findings are taken from a process-wide logger.
_LOCK = threading.Lock()
# pyx12 also logs what it finds; the findings are returned instead.
logging.getLogger("pyx12").addHandler(logging.NullHandler())
logging.getLogger("pyx12").propagate = False


class _Findings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def pyx12_findings(text: str) -> list[str]:
    """Every error pyx12 finds in the interchange, as "Line:<n> <where> - <message>"; empty
    when it is valid."""
    findings = _Findings()
    with _LOCK:
        _ERROR_LOGGER.addHandler(findings)
        try:
            valid = pyx12.x12n_document.x12n_document(
                pyx12.params.ParamsBase(), io.StringIO(text), fd_997=None, fd_html=None,
            )
        except pyx12.errors.EngineError as exc:
            return [f"pyx12 could not validate it: {exc}"]
        finally:
            _ERROR_LOGGER.removeHandler(findings)
    if not valid and not findings.messages:
        # Text pyx12 cannot read as X12 at all reaches no error handler.
        return ["pyx12 found the text invalid"]
    return findings.messages


def findings(text: str) -> list[str]:
    """pyx12's findings, then what billing checks beyond pyx12 on the file's kind: for an
    837P each claim (NPI check digits, pointers, code values), for an 835 each payment's
    amounts and balance and each claim payment's codes and balance."""
    found = pyx12_findings(text)
    try:
        kind = read_interchange(text).groups[0].functional_id
        if kind == claim837.FUNCTIONAL_ID:
            own = [finding for received in read_837p(text).claims
                   for finding in _labelled(f"claim {received.claim.patient_control_number}",
                                            claim_issues(received.claim))]
        elif kind == remit835.FUNCTIONAL_ID:
            own = []
            for advice in read_835(text).advices:
                own += _labelled(f"payment {advice.trace_number}", payment_issues(advice))
                for claim in advice.claims:
                    own += _labelled(f"claim {claim.patient_control_number}",
                                     claim_payment_issues(claim))
        elif kind == ack277.FUNCTIONAL_ID:
            read_277ca(text)
            own = []
        else:
            own = [f"functional group {kind!r}: not a file billing reads or writes"]
    except X12ReadError as exc:
        own = [f"unreadable: {exc}"]
    return found + own


def _labelled(label: str, issues: list[dict[str, str]]) -> list[str]:
    return [f"{label} {i['path']}: {i['rule']} {i['message']}" for i in issues]
