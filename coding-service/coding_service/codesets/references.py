"""Code references inside ICD-10-CM instructional notes, e.g. Excludes1 notes.

A note names the codes it points at in a few written forms:

    "gestational diabetes (O24.4-)"            -> everything under O24.4
    "type 1 diabetes mellitus (E10.-)"         -> everything under E10
    "neonatal diabetes mellitus (P70.2)"       -> P70.2 and anything under it
    "malignant neoplasm (C00-C96)"             -> categories C00 through C96
    "(N18.1-N18.6)", "(K85-K86.-)"             -> ranges of subcategories
    "diabetes mellitus (E08-E13 with .42)"     -> E08.42, E09.42, E10.42, E11.42, E13.42
    "(E08-E13 with .51-.52)"                   -> E08.51 through E08.52, and so on per category
    "torticollis NOS M43.6"                    -> a code outside parentheses, read only when
                                                  the note has none inside them (in "... any
                                                  type in A15 (J65)" the A15 is not excluded)

Anything else after a code ("(T36-T65 with fifth or sixth character 1-4 or 6)",
"(I69. with final characters -23)", "E13 with ketoacidosis") narrows the reference in a way
these rules cannot express, so the whole group it stands in is dropped: a missed Excludes1
warning is better than a false one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# A category is a letter, a digit and a letter or digit; since FY2026 also a letter, a letter and
# a digit (QA0). Upper-case words such as HIV or NOS do not fit either shape.
_CATEGORY = r"[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])"
_CODE = rf"{_CATEGORY}(?:\.[0-9A-Z]{{1,4}})?(?![0-9A-Za-z])"
# A code may end in "-" or ".-" ("all codes under it"); a range joins two codes with a dash.
_SUFFIX = r"(?:\.-|-|\.)?"
_SINGLE = re.compile(rf"(?P<code>{_CODE}){_SUFFIX}")
_RANGE = re.compile(rf"(?P<first>{_CODE}){_SUFFIX}\s*-\s*(?P<last>{_CODE}){_SUFFIX}")
_CATEGORY_RANGE_WITH = re.compile(
    rf"(?P<first>{_CATEGORY})\s*-\s*(?P<last>{_CATEGORY})\s+with\s+"
    r"\.(?P<from>[0-9A-Z]{1,4})(?:\s*-\s*\.?(?P<to>[0-9A-Z]{1,4}))?-?"
)
_FIRST_CODE = re.compile(rf"(?<![0-9A-Za-z]){_CODE}")
_PARENTHESIZED = re.compile(r"\(([^()]*)\)")
_ITEM_SEPARATOR = re.compile(r",|;|\band\b|\bor\b")


@dataclass(frozen=True, slots=True)
class CodeRange:
    """Undotted codes from `first` to `last`, each bound compared on its own length.

    ("E10", "E10") holds E10 and everything under it; ("E08", "E13") holds E08.x to E13.x;
    ("N181", "N186") holds N18.1 to N18.6 and their children.
    """

    first: str
    last: str

    def holds(self, code: str) -> bool:
        return self.first <= code[: len(self.first)] and code[: len(self.last)] <= self.last

    def label(self) -> str:
        first, last = _dotted(self.first), _dotted(self.last)
        return first if first == last else f"{first}-{last}"


def parse_references(note: str, categories: Iterable[str] = ()) -> list[CodeRange]:
    """The code ranges a note refers to. `categories` (3-character codes of the edition) is
    needed to expand 'E08-E13 with .42' into one reference per existing category."""
    category_list = sorted(categories)
    ranges: list[CodeRange] = []
    for group in _PARENTHESIZED.findall(note):
        ranges.extend(_group_references(group, category_list))
    if not ranges:
        ranges = _group_references(_PARENTHESIZED.sub(" ", note), category_list)
    return list(dict.fromkeys(ranges))


def _group_references(group: str, categories: list[str]) -> list[CodeRange]:
    found: list[CodeRange] = []
    for item in _ITEM_SEPARATOR.split(group):
        start = _FIRST_CODE.search(item)
        if start is None:
            continue
        tail = item[start.start():].strip()
        parsed = _parse_tail(tail, categories)
        if parsed is None:
            return []
        found.extend(parsed)
    return found


def _parse_tail(tail: str, categories: list[str]) -> list[CodeRange] | None:
    if match := _SINGLE.fullmatch(tail):
        code = _undotted(match["code"])
        return [CodeRange(code, code)]
    if match := _RANGE.fullmatch(tail):
        return [CodeRange(_undotted(match["first"]), _undotted(match["last"]))]
    if match := _CATEGORY_RANGE_WITH.fullmatch(tail):
        low, high = match["from"], match["to"] or match["from"]
        return [
            CodeRange(category + low, category + high)
            for category in categories
            if match["first"] <= category <= match["last"]
        ]
    return None


def _undotted(code: str) -> str:
    return code.replace(".", "")


def _dotted(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"
