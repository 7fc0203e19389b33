"""Reading the ICD-10-CM tabular list (the NCHS XML) and its list of valid codes.

The XML holds every chapter, block (section), category and subcategory, but not the codes made
by adding a 7th character: a <sevenChrDef> on a category or subcategory applies to every code
under it, and codes shorter than six characters take the placeholder X before the 7th character
(T15.1 leaf T15.10 -> T15.10XA). Which of those codes exist comes from the code list, because
a few combinations are not valid.

Billable codes are the leaves of the resulting tree: a code with children (including 7th-character
children) is a header.

Manifestation codes: a code is flagged when its own title, or the title of a category or
subcategory above it, says "classified elsewhere" (e.g. G63 "Polyneuropathy in diseases
classified elsewhere", F02.80, H36, and D63.1 under D63 "Anemia in chronic diseases classified
elsewhere"), except the B95-B97 infectious-agent codes, whose titles say "as the cause of diseases
classified elsewhere" and which are supplementary codes, not manifestations. The Official
Guidelines (I.A.13) say such codes may never be first-listed. A "code first" note alone is not
taken as the mark of a manifestation: J18.9, I50 and N18 carry "code first, if applicable" notes
and are routinely first-listed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_NOT_MANIFESTATION = "as the cause of"


@dataclass(frozen=True, slots=True)
class TabularEntry:
    code: str  # undotted, e.g. "E119", "S72001A"
    title: str
    billable: bool
    chapter: int
    block: str
    manifestation: bool
    excludes1: tuple[str, ...] = ()  # the notes written at this code
    seventh: tuple[tuple[str, str], ...] = ()  # 7th characters defined at this code


@dataclass(frozen=True, slots=True)
class Tabular:
    entries: list[TabularEntry]  # in code order
    block_excludes1: dict[str, tuple[str, ...]]
    chapter_excludes1: dict[int, tuple[str, ...]]


def read_code_list(path: Path) -> set[str]:
    """The undotted codes of the code list (chapter numbers and block ranges included)."""
    with path.open(encoding="utf-8") as lines:
        return {line.split()[0].replace(".", "") for line in lines if line.strip()}


def read_tabular(tabular_xml: Path, code_list: Path) -> Tabular:
    valid = read_code_list(code_list)
    root = ET.parse(tabular_xml).getroot()
    entries: list[TabularEntry] = []
    block_excludes1: dict[str, tuple[str, ...]] = {}
    chapter_excludes1: dict[int, tuple[str, ...]] = {}
    for chapter in root.iter("chapter"):
        number = int(_text(chapter.find("name")))
        if notes := _notes(chapter, "excludes1"):
            chapter_excludes1[number] = notes
        for section in chapter.iter("section"):
            block = section.get("id", "")
            if notes := _notes(section, "excludes1"):
                block_excludes1[block] = notes
            for diag in section.findall("diag"):
                entries.extend(_diag_entries(diag, number, block, (), False, valid))
    entries.sort(key=lambda entry: entry.code)
    return Tabular(entries, block_excludes1, chapter_excludes1)


def _diag_entries(
    diag: ET.Element,
    chapter: int,
    block: str,
    inherited_seventh: tuple[tuple[str, str], ...],
    inherited_manifestation: bool,
    valid: set[str],
) -> Iterator[TabularEntry]:
    code = _text(diag.find("name")).replace(".", "")
    title = _text(diag.find("desc"))
    own_seventh = _seventh_characters(diag)
    seventh = own_seventh or inherited_seventh
    manifestation = inherited_manifestation or (
        "classified elsewhere" in title.lower() and _NOT_MANIFESTATION not in title.lower()
    )
    children = diag.findall("diag")
    extended: list[TabularEntry] = []
    if not children and seventh:
        stem = code.ljust(6, "X")
        extended = [
            TabularEntry(stem + character, f"{title}, {meaning}", True, chapter, block,
                         manifestation)
            for character, meaning in seventh
            if stem + character in valid
        ]
    yield TabularEntry(
        code, title, not children and not extended, chapter, block, manifestation,
        _notes(diag, "excludes1"), own_seventh,
    )
    yield from extended
    for child in children:
        yield from _diag_entries(child, chapter, block, seventh, manifestation, valid)


def _seventh_characters(diag: ET.Element) -> tuple[tuple[str, str], ...]:
    definition = diag.find("sevenChrDef")
    if definition is None:
        return ()
    # <note> elements inside a definition are extra wording for the character before them;
    # the official code titles use the extension text alone.
    return tuple(
        (extension.get("char", ""), _text(extension))
        for extension in definition.findall("extension")
    )


def _notes(element: ET.Element, tag: str) -> tuple[str, ...]:
    return tuple(
        text for group in element.findall(tag) for note in group.findall("note")
        if (text := _text(note))
    )


def _text(element: ET.Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""
