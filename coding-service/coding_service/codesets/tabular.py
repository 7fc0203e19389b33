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

import gzip
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BufferedIOBase
from pathlib import Path

_NOT_MANIFESTATION = "as the cause of"


@dataclass(frozen=True, slots=True)
class Companions:
    """The "code first" and "use additional code" instructions written at one place. Each is
    one <codeFirst> or <useAdditionalCode> element, its notes joined into one text: a lead-in
    such as "code to identify:" and the items it lists are one instruction."""

    code_first: tuple[str, ...] = ()
    use_additional: tuple[str, ...] = ()


NO_COMPANIONS = Companions()


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
    companions: Companions = NO_COMPANIONS  # the instructions written at this code


@dataclass(frozen=True, slots=True)
class Tabular:
    entries: list[TabularEntry]  # in code order
    block_excludes1: dict[str, tuple[str, ...]]
    chapter_excludes1: dict[int, tuple[str, ...]]
    block_companions: dict[str, Companions] = field(default_factory=dict)
    chapter_companions: dict[int, Companions] = field(default_factory=dict)


def open_source(path: Path) -> BufferedIOBase:
    """A source file as bytes; a name ending in .gz is read through gzip."""
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


def read_code_list(path: Path) -> set[str]:
    """The undotted codes of the code list (chapter numbers and block ranges included)."""
    with open_source(path) as stream:
        lines = stream.read().decode("utf-8").splitlines()
    return {line.split()[0].replace(".", "") for line in lines if line.strip()}


def read_tabular(tabular_xml: Path, code_list: Path) -> Tabular:
    valid = read_code_list(code_list)
    with open_source(tabular_xml) as stream:
        root = ET.parse(stream).getroot()
    entries: list[TabularEntry] = []
    block_excludes1: dict[str, tuple[str, ...]] = {}
    chapter_excludes1: dict[int, tuple[str, ...]] = {}
    block_companions: dict[str, Companions] = {}
    chapter_companions: dict[int, Companions] = {}
    for chapter in root.iter("chapter"):
        number = int(_text(chapter.find("name")))
        if notes := _notes(chapter, "excludes1"):
            chapter_excludes1[number] = notes
        if (companions := _companions(chapter)) is not NO_COMPANIONS:
            chapter_companions[number] = companions
        for section in chapter.iter("section"):
            block = section.get("id", "")
            if notes := _notes(section, "excludes1"):
                block_excludes1[block] = notes
            if (companions := _companions(section)) is not NO_COMPANIONS:
                block_companions[block] = companions
            for diag in section.findall("diag"):
                entries.extend(_diag_entries(diag, number, block, (), False, valid))
    entries.sort(key=lambda entry: entry.code)
    return Tabular(entries, block_excludes1, chapter_excludes1, block_companions,
                   chapter_companions)


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
        _notes(diag, "excludes1"), own_seventh, _companions(diag),
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


def _companions(element: ET.Element) -> Companions:
    code_first = _groups(element, "codeFirst")
    use_additional = _groups(element, "useAdditionalCode")
    if not code_first and not use_additional:
        return NO_COMPANIONS
    return Companions(code_first, use_additional)


def _groups(element: ET.Element, tag: str) -> tuple[str, ...]:
    """Each instruction element's notes as one text: "code to identify: insulin (Z79.4);
    oral antidiabetic drugs (Z79.84)"."""
    groups = []
    for group in element.findall(tag):
        notes = [text for note in group.findall("note") if (text := _text(note))]
        if not notes:
            continue
        lead, items = (notes[0], notes[1:]) if notes[0].endswith(":") else ("", notes)
        groups.append(f"{lead} {'; '.join(items)}".strip())
    return tuple(groups)


def _text(element: ET.Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""
