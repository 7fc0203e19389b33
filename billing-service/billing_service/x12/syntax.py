"""X12 syntax: delimiters, segments, values and the ISA/GS/ST envelopes. Pure.

Writing uses the customary delimiters: `*` between elements, `:` between components, `^`
between repetitions and `~` after each segment, followed by a line break for people (X12
readers skip it). Reading takes whatever delimiters the ISA segment declares.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from rcm_shared.schemas import CONTROL_CHARACTERS

ELEMENT = "*"
COMPONENT = ":"
REPETITION = "^"
TERMINATOR = "~"
ISA_VERSION = "00501"
# ISA13 and GS06 are nine digits at most.
MAX_CONTROL_NUMBER = 999_999_999

Value = str | Sequence[str] | None


class X12ReadError(ValueError):
    """The text is not a well-formed interchange; `segment_number` is 1-based."""

    def __init__(self, message: str, segment_number: int | None = None) -> None:
        self.reason = message
        self.segment_number = segment_number
        where = f"segment {segment_number}: " if segment_number else ""
        super().__init__(f"{where}{message}")


# --- values ---------------------------------------------------------------------------


_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9 !\"&'()+,\-./;?=%@\[\]_{}\\|<>#$]")


def clean(text: str, max_length: int) -> str:
    """Free text as X12's extended character set allows it: accents folded, delimiters and
    other characters dropped, spaces collapsed, cut to the element's length."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    kept = " ".join(_NOT_ALLOWED.sub(" ", folded).split())
    return kept[:max_length].rstrip()


def amount(value: Decimal) -> str:
    """An R (decimal) value: no exponent, no trailing zeros after the point."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def d8(day: date) -> str:
    return day.strftime("%Y%m%d")


def read_d8(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError as exc:
        raise X12ReadError(f"{text!r} is not a CCYYMMDD date") from exc


def read_amount(text: str) -> Decimal:
    if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", text):
        raise X12ReadError(f"{text!r} is not an amount")
    return Decimal(text)


# --- segments -------------------------------------------------------------------------


def _value(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    components = list(value)
    while components and not components[-1]:
        components.pop()
    return COMPONENT.join(components)


def segment(segment_id: str, *elements: Value) -> str:
    """One segment, trailing empty elements left out."""
    values = [_value(element) for element in elements]
    while values and not values[-1]:
        values.pop()
    return ELEMENT.join([segment_id, *values]) + TERMINATOR


@dataclass(frozen=True, slots=True)
class Segment:
    """A segment as read: `element(1)` is XX01; an absent element reads as ""."""

    id: str
    elements: tuple[str, ...]
    position: int  # 1-based within the interchange
    component_separator: str = COMPONENT

    def element(self, number: int) -> str:
        return self.elements[number - 1] if 0 < number <= len(self.elements) else ""

    def components(self, number: int) -> tuple[str, ...]:
        value = self.element(number)
        return tuple(value.split(self.component_separator)) if value else ()

    def component(self, number: int, part: int) -> str:
        parts = self.components(number)
        return parts[part - 1] if 0 < part <= len(parts) else ""


# --- envelopes ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Envelope:
    """Who sends to whom, under which control number, what kind of transaction sets."""

    sender_id: str
    receiver_id: str
    control_number: int
    created_at: datetime
    functional_id: str  # GS01: HC claims, HN 277 status, HP 835 payments
    version: str  # GS08 and ST03, e.g. 005010X222A1
    usage: str = "T"  # ISA15: T test, P production


def interchange(
    envelope: Envelope,
    transaction_id: str,
    bodies: Sequence[Sequence[str]],
    *,
    version_in_st: bool = True,
) -> str:
    """ISA, one GS, one ST..SE per body (control numbers 0001, 0002, ...), GE, IEA.
    Each body is its formatted segments between ST and SE. ST03 repeats the version where
    the implementation guide uses it (the 835's does not)."""
    number = envelope.control_number
    if not 0 < number <= MAX_CONTROL_NUMBER:
        raise ValueError(f"control number {number} does not fit ISA13")
    when = envelope.created_at
    segments = [
        _isa(envelope),
        segment("GS", envelope.functional_id, clean(envelope.sender_id, 15),
                clean(envelope.receiver_id, 15), d8(when.date()), when.strftime("%H%M"),
                str(number), "X", envelope.version),
    ]
    for index, body in enumerate(bodies, start=1):
        control = f"{index:04d}"
        segments.append(segment("ST", transaction_id, control,
                                envelope.version if version_in_st else None))
        segments.extend(body)
        segments.append(segment("SE", str(len(body) + 2), control))
    segments.append(segment("GE", str(len(bodies)), str(number)))
    segments.append(segment("IEA", "1", f"{number:09d}"))
    return "\n".join(segments) + "\n"


def _isa(envelope: Envelope) -> str:
    when = envelope.created_at
    return segment(
        "ISA", "00", " " * 10, "00", " " * 10,
        "ZZ", clean(envelope.sender_id, 15).ljust(15),
        "ZZ", clean(envelope.receiver_id, 15).ljust(15),
        when.strftime("%y%m%d"), when.strftime("%H%M"), REPETITION, ISA_VERSION,
        f"{envelope.control_number:09d}", "0", envelope.usage, COMPONENT,
    )


# --- reading --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TransactionSet:
    id: str  # ST01: 837, 277, 835
    control_number: str
    segments: tuple[Segment, ...]  # between ST and SE


@dataclass(frozen=True, slots=True)
class FunctionalGroup:
    functional_id: str
    sender_id: str
    receiver_id: str
    control_number: str
    version: str
    transactions: tuple[TransactionSet, ...]


@dataclass(frozen=True, slots=True)
class Interchange:
    sender_id: str
    receiver_id: str
    control_number: str
    usage: str
    groups: tuple[FunctionalGroup, ...]

    def transactions(self) -> Iterator[tuple[FunctionalGroup, TransactionSet]]:
        for group in self.groups:
            for transaction in group.transactions:
                yield group, transaction


def read_interchange(text: str) -> Interchange:
    """Segments of one interchange, its envelopes checked: every trailer's count and control
    number must match its header."""
    segments = _split(text)
    isa = segments[0]
    if segments[-1].id != "IEA":
        raise X12ReadError("the interchange does not end with IEA", segments[-1].position)
    groups: list[FunctionalGroup] = []
    index = 1
    while index < len(segments) - 1:
        group, index = _read_group(segments, index)
        groups.append(group)
    iea = segments[-1]
    _expect(iea, 1, str(len(groups)), "number of functional groups")
    _expect(iea, 2, isa.element(13), "interchange control number (ISA13)")
    return Interchange(
        sender_id=isa.element(6).strip(),
        receiver_id=isa.element(8).strip(),
        control_number=isa.element(13),
        usage=isa.element(15),
        groups=tuple(groups),
    )


def _split(text: str) -> list[Segment]:
    body = text.lstrip("\ufeff \t\r\n")
    if not body.startswith("ISA") or len(body) < 106:
        raise X12ReadError("an X12 interchange starts with an ISA segment", 1)
    separator = body[3]
    isa_parts = body.split(separator, 16)
    if len(isa_parts) < 17 or len(isa_parts[16]) < 2:
        raise X12ReadError("the ISA segment is incomplete", 1)
    component, terminator = isa_parts[16][0], isa_parts[16][1]
    if len({separator, component, terminator}) != 3 or terminator.isalnum():
        raise X12ReadError("the ISA segment declares unusable delimiters", 1)
    # A delimiter may be a control character; none may stand in a value (PostgreSQL could
    # not even store a NUL).
    delimiters = str.maketrans("", "", separator + component + isa_parts[11][:1])
    segments: list[Segment] = []
    for raw in body.split(terminator):
        stripped = raw.strip("\r\n\t ")
        if not stripped:
            continue
        elements = stripped.split(separator)
        position = len(segments) + 1
        if CONTROL_CHARACTERS.search(stripped.translate(delimiters)):
            _refuse_control_character(elements, position, delimiters)
        segments.append(Segment(elements[0], tuple(elements[1:]), position, component))
    if len(segments) < 2:
        raise X12ReadError("the interchange has no content", 1)
    return segments


def _refuse_control_character(elements: list[str], position: int,
                               delimiters: dict[int, int | None]) -> None:
    for number, value in enumerate(elements):
        if found := CONTROL_CHARACTERS.search(value.translate(delimiters)):
            where = f"{elements[0]}{number:02d}" if number else "the segment id"
            raise X12ReadError(
                f"{where} holds a control character (U+{ord(found.group()):04X}): X12 text "
                "never does", position)


def _read_group(segments: list[Segment], index: int) -> tuple[FunctionalGroup, int]:
    gs = segments[index]
    if gs.id != "GS":
        raise X12ReadError(f"expected GS, found {gs.id}", gs.position)
    index += 1
    transactions: list[TransactionSet] = []
    while index < len(segments) and segments[index].id == "ST":
        transaction, index = _read_transaction(segments, index)
        transactions.append(transaction)
    if index >= len(segments) or segments[index].id != "GE":
        found = segments[index] if index < len(segments) else segments[-1]
        raise X12ReadError(f"expected ST or GE, found {found.id}", found.position)
    ge = segments[index]
    _expect(ge, 1, str(len(transactions)), "number of transaction sets")
    _expect(ge, 2, gs.element(6), "group control number (GS06)")
    group = FunctionalGroup(
        functional_id=gs.element(1),
        sender_id=gs.element(2),
        receiver_id=gs.element(3),
        control_number=gs.element(6),
        version=gs.element(8),
        transactions=tuple(transactions),
    )
    return group, index + 1


def _read_transaction(segments: list[Segment], index: int) -> tuple[TransactionSet, int]:
    st = segments[index]
    end = index + 1
    while end < len(segments) and segments[end].id not in ("SE", "ST", "GE", "IEA"):
        end += 1
    if end >= len(segments) or segments[end].id != "SE":
        raise X12ReadError("transaction set without its SE trailer", st.position)
    se = segments[end]
    _expect(se, 1, str(end - index + 1), "number of segments")
    _expect(se, 2, st.element(2), "transaction set control number (ST02)")
    transaction = TransactionSet(st.element(1), st.element(2), tuple(segments[index + 1:end]))
    return transaction, end + 1


def _expect(trailer: Segment, number: int, expected: str, what: str) -> None:
    found = trailer.element(number).strip()
    if found.lstrip("0") != expected.strip().lstrip("0"):
        raise X12ReadError(
            f"{trailer.id}{number:02d} gives {what} {found!r}, expected {expected.strip()!r}",
            trailer.position,
        )
