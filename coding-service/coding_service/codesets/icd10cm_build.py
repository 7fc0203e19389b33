"""Building the compact ICD-10-CM index from the tabular list, and caching it on disk.

The newest edition's source files ship inside the `simple-icd-10-cm` wheel; they are located
through the package metadata, never by importing the package (its import parses the whole XML
into objects: seconds and hundreds of megabytes). Older editions, which no installable release
carries beside the newest, ship gzip-compressed in this package's data directory
(data/icd10cm-YYYY-MM/, each with a README naming its source). The cache is a `marshal` file
of plain lists, bytes and tuples, named by a key over everything it depends on (index format,
Python version, where the files come from, and the files: size and mtime inside a wheel, the
content of shipped ones), so a changed source or a new release of the code rebuilds it, and a
start with a matching file only reads it.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from coding_service.codesets.companions import required_references
from coding_service.codesets.icd10cm import CompanionTable, NoteRanges, dotted
from coding_service.codesets.references import CodeRange, parse_references
from coding_service.codesets.search import build_search_index
from coding_service.codesets.tabular import Companions, Tabular, read_tabular

logger = logging.getLogger("coding.codesets")

INDEX_FORMAT = 3  # bump when the payload layout or any build rule changes
PAYLOAD_KEYS = frozenset({
    "format", "codes", "titles", "billable", "manifestation", "chapters", "blocks", "block_of",
    "excludes1", "block_excludes1", "chapter_excludes1", "seventh", "code_first",
    "use_additional", "search",
})
DATA_DIR = Path(__file__).resolve().parent / "data"
_MARSHAL_VERSION = 4
_NOTHING = CodeRange("~", "~")  # holds no code: a chapter note never names its own chapter


@dataclass(frozen=True, slots=True)
class EditionSource:
    """Where one edition's files are, and when the edition is in force.

    With `distribution` set, the files are paths inside that installed distribution; without
    it, paths under DATA_DIR, and `origin` says where they were taken from."""

    name: str
    effective_from: date
    effective_to: date | None
    tabular_file: str
    code_list_file: str
    distribution: str | None = None
    origin: str = ""

    def files(self) -> tuple[Path, Path]:
        if self.distribution is None:
            paths = (DATA_DIR / self.tabular_file, DATA_DIR / self.code_list_file)
            holder = f"{DATA_DIR.parent.name}/{DATA_DIR.name}"
        else:
            dist = metadata.distribution(self.distribution)
            paths = (Path(str(dist.locate_file(self.tabular_file))),
                     Path(str(dist.locate_file(self.code_list_file))))
            holder = f"{self.distribution} {dist.version}"
        for path in paths:
            if not path.is_file():
                raise FileNotFoundError(
                    f"{holder} lacks {path.name}; the {self.name} edition cannot be read"
                )
        return paths

    def label(self) -> str:
        if self.distribution is None:
            return f"{self.origin}: {Path(self.tabular_file).name}"
        version = metadata.version(self.distribution)
        return f"{self.distribution} {version}: {Path(self.tabular_file).name}"

    def cache_key(self) -> str:
        if self.distribution is None:
            # Shipped files are keyed by content: a checkout or an installed wheel gives them
            # mtimes that say nothing of what changed (about 2 ms for the two files).
            parts = [str(INDEX_FORMAT), sys.version.split()[0], self.origin]
            for path in self.files():
                parts += [path.name, hashlib.sha256(path.read_bytes()).hexdigest()]
        else:
            parts = [str(INDEX_FORMAT), sys.version.split()[0], self.distribution,
                     metadata.version(self.distribution)]
            for path in self.files():
                stat = path.stat()
                parts += [path.name, str(stat.st_size), str(stat.st_mtime_ns)]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


# The FY2025 April update, in force for encounters from 2025-04-01 to 2025-09-30.
APRIL_2025 = EditionSource(
    name="2025-04",
    effective_from=date(2025, 4, 1),
    effective_to=date(2025, 9, 30),
    tabular_file="icd10cm-2025-04/icd10cm-tabular-April-2025.xml.gz",
    code_list_file="icd10cm-2025-04/code-list-April-2025.txt.gz",
    origin="simple-icd-10-cm 1.4.0",
)
# The FY2026 April update, in force from 2026-04-01 to 2026-09-30. The FY2026 October
# edition (2025-10-01 to 2026-03-31) is on no PyPI release, so no edition covers that half
# year: dates in it are checked against the nearest edition, with a warning saying so.
APRIL_2026 = EditionSource(
    name="2026-04",
    effective_from=date(2026, 4, 1),
    effective_to=date(2026, 9, 30),
    tabular_file="simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml",
    code_list_file="simple_icd_10_cm/data/code-list-April-2026.txt",
    distribution="simple-icd-10-cm",
)
EDITIONS: tuple[EditionSource, ...] = (APRIL_2025, APRIL_2026)


def build_payload(tabular_xml: Path, code_list: Path) -> dict[str, Any]:
    """The index of one edition as plain data: lists and bytes in code order."""
    return payload_from_tabular(read_tabular(tabular_xml, code_list))


def payload_from_tabular(tabular: Tabular) -> dict[str, Any]:
    entries = tabular.entries
    codes = [entry.code for entry in entries]
    titles = [entry.title for entry in entries]
    billable = [entry.billable for entry in entries]
    blocks = sorted({entry.block for entry in entries})
    block_number = {block: number for number, block in enumerate(blocks)}
    categories = [code for code in codes if len(code) == 3]

    def resolve(notes: tuple[str, ...], owner: CodeRange,
                references: Callable[[str, list[str]], list[CodeRange]] = parse_references,
                ) -> NoteRanges:
        """Each note with the ranges it names that exist in the edition. A range holding the
        note's own code or block is a description ("tuberculosis, any type in A15"), not an
        exclusion or a companion, and is dropped."""
        resolved = []
        for note in notes:
            ranges = tuple(
                (r.first, r.last) for r in references(note, categories)
                if _holds_any(r, codes) and not owner.holds(r.first) and not r.holds(owner.first)
            )
            if ranges:
                resolved.append((note, ranges))
        return tuple(resolved)

    def companions(kind: Callable[[Companions], tuple[str, ...]]) -> CompanionTable:
        """The kept instructions of one kind, by the code they are written at. A block's or a
        chapter's instruction applies to every code under it, so it is written at each of
        its categories, naming where it comes from."""
        table: dict[str, list[tuple[str, str, tuple[tuple[str, str], ...]]]] = {}

        def attach(owners: list[str], source: str, notes: tuple[str, ...],
                   owner: CodeRange) -> None:
            for note, ranges in resolve(notes, owner, required_references):
                for code in owners:
                    table.setdefault(code, []).append((source, note, ranges))

        for entry in entries:
            attach([entry.code], dotted(entry.code), kind(entry.companions),
                   CodeRange(entry.code, entry.code))
        for block, written in tabular.block_companions.items():
            attach(categories_of_block.get(block, []), block, kind(written), _block_range(block))
        for chapter, written in tabular.chapter_companions.items():
            attach(categories_of_chapter.get(chapter, []), f"chapter {chapter}", kind(written),
                   _NOTHING)
        return {code: tuple(notes) for code, notes in table.items()}

    categories_of_block: dict[str, list[str]] = {}
    categories_of_chapter: dict[int, list[str]] = {}
    for entry in entries:
        if len(entry.code) == 3:
            categories_of_block.setdefault(entry.block, []).append(entry.code)
            categories_of_chapter.setdefault(entry.chapter, []).append(entry.code)

    excludes1 = {
        entry.code: resolved for entry in entries
        if (resolved := resolve(entry.excludes1, CodeRange(entry.code, entry.code)))
    }
    block_excludes1 = {
        block: resolved for block, notes in tabular.block_excludes1.items()
        if (resolved := resolve(notes, _block_range(block)))
    }
    chapter_excludes1 = {
        chapter: resolved for chapter, notes in tabular.chapter_excludes1.items()
        if (resolved := resolve(notes, _NOTHING))
    }
    return {
        "format": INDEX_FORMAT,
        "codes": codes,
        "titles": titles,
        "billable": bytes(billable),
        "manifestation": bytes(entry.manifestation for entry in entries),
        "chapters": bytes(entry.chapter for entry in entries),
        "blocks": blocks,
        "block_of": array("H", (block_number[e.block] for e in entries)).tobytes(),
        "excludes1": excludes1,
        "block_excludes1": block_excludes1,
        "chapter_excludes1": chapter_excludes1,
        "seventh": {entry.code: entry.seventh for entry in entries if entry.seventh},
        "code_first": companions(lambda written: written.code_first),
        "use_additional": companions(lambda written: written.use_additional),
        "search": build_search_index(codes, titles, billable),
    }


def _block_range(block: str) -> CodeRange:
    first, _, last = block.partition("-")
    return CodeRange(first, last or first)


def _holds_any(code_range: CodeRange, codes: list[str]) -> bool:
    # Codes are sorted, so the first code at or after the range start is the only candidate.
    at = bisect_left(codes, code_range.first)
    return at < len(codes) and code_range.holds(codes[at])


def cache_path(cache_dir: Path, source: EditionSource) -> Path:
    return cache_dir / f"icd10cm-{source.name}-{source.cache_key()}.marshal"


def build_cache(cache_dir: Path, source: EditionSource) -> Path:
    """Build the edition's index from its source files and write it to the cache."""
    return write_cache(cache_dir, source, build_payload(*source.files()))


def write_cache(cache_dir: Path, source: EditionSource, payload: dict[str, Any]) -> Path:
    path = cache_path(cache_dir, source)
    _write_atomically(path, marshal.dumps(payload, _MARSHAL_VERSION))
    for stale in cache_dir.glob(f"icd10cm-{source.name}-*.marshal"):
        if stale != path:
            stale.unlink(missing_ok=True)
    return path


def load_payload(cache_dir: Path, source: EditionSource) -> dict[str, Any]:
    """The cached index of an edition, built (and cached) first if there is no current one."""
    try:
        payload = marshal.loads(cache_path(cache_dir, source).read_bytes())
        if (isinstance(payload, dict) and payload.get("format") == INDEX_FORMAT
                and payload.keys() == PAYLOAD_KEYS):
            return payload
    except (OSError, EOFError, ValueError, TypeError):
        pass
    logger.info("building the ICD-10-CM %s index into %s", source.name, cache_dir)
    payload = build_payload(*source.files())
    try:
        write_cache(cache_dir, source, payload)
    except OSError as exc:
        # A read-only cache directory must not stop the service; it only makes starts slow.
        logger.warning("cannot write the ICD-10-CM cache (%s); using the index in memory",
                       type(exc).__name__)
    return payload


def _write_atomically(path: Path, data: bytes) -> None:
    # Replicas may build at the same moment: each writes its own temporary file and renames
    # it into place, so a reader never sees a half-written cache.
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; other service users read it too
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
