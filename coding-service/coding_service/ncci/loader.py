"""Loads the CMS quarterly NCCI files, in the layouts CMS publishes them, into the database.

Practitioner PTP: tab-separated text. Some lines of title, copyright and column headings come
first, then one edit per line: Column 1, Column 2, "*" when in existence prior to 1996,
Effective Date (YYYYMMDD), Deletion Date (YYYYMMDD, or "*" for none), Modifier indicator
(0 not allowed, 1 allowed, 9 not applicable), PTP Edit Rationale. CMS splits the practitioner
edits over several files; load them together, since each load replaces all PTP edits.

Practitioner MUE: CSV. Copyright and heading lines first, then HCPCS/CPT Code, Practitioner
Services MUE Values, MUE Adjudication Indicator ("1 Line Edit", "2 Date of Service Edit:
Policy", "3 Date of Service Edit: Clinical"), MUE Rationale.

Add-on codes (AOC): tab-separated text (the text form of the CMS Medicare NCCI Add-on Code
Edits). Its heading line names the columns, which are read by name: Add-On Code, Primary Code
("CCCCC" or empty on type 2 rows, which name no primary), AOC Edit Type (1, 2 or 3), AOC Edit
Effective Date and AOC Edit Deletion Date (YYYYDDD as CMS writes them, or YYYYMMDD; "*" or
empty for none). Other columns (the codes' own dates, special instruction notes) are ignored.

A line that starts with something like a procedure code (a short token with at least three
digits) is data and must parse completely; any other line is a heading or a note and is
skipped. A load replaces the previous data of its kind in one transaction: a bad line rolls
everything back, and the error names the file and line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from coding_service.models.ncci import NcciAddonEdit, NcciLoad, NcciMueEdit, NcciPtpEdit
from rcm_shared.db import utcnow

DATA_DIR = Path(__file__).resolve().parent / "data"
SAMPLE_PTP = DATA_DIR / "practitioner-ptp-sample.txt"
SAMPLE_MUE = DATA_DIR / "practitioner-mue-sample.csv"
SAMPLE_AOC = DATA_DIR / "practitioner-aoc-sample.txt"
SAMPLE_QUARTER = "sample"

CHUNK_ROWS = 5000
MAX_RATIONALE = 255
MAX_QUARTER = 100
MAX_SOURCE = 1000
MODIFIER_INDICATORS = frozenset({"0", "1", "9"})
AOC_EDIT_TYPES = frozenset({"1", "2", "3"})
NO_PRIMARY = frozenset({"", "CCCCC"})
# The AOC columns read, by their heading (case and spacing ignored), and whether required.
AOC_COLUMNS = {
    "add-on code": ("addon_code", True),
    "primary code": ("primary_code", True),
    "aoc edit type": ("edit_type", True),
    "aoc edit effective date": ("effective_date", True),
    "aoc edit deletion date": ("deletion_date", False),
}
_FIRST_TOKEN = re.compile(r"[\s,;]+")


class NcciFileError(ValueError):
    """A line of an NCCI file that cannot be read; nothing of the load is kept."""

    def __init__(self, path: Path, line_number: int, reason: str) -> None:
        super().__init__(f"{path.name}, line {line_number}: {reason}")
        self.path = path
        self.line_number = line_number
        self.reason = reason


@dataclass(frozen=True, slots=True)
class LoadResult:
    kind: str  # "ptp", "mue" or "aoc"
    quarter: str
    row_count: int
    sources: tuple[str, ...]


def _decode(raw: bytes) -> str:
    # CMS files are ASCII in practice; Windows-1252 covers the odd character in a rationale.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _looks_like_data(first_field: str) -> bool:
    """Whether a line starting with this field is an edit rather than a heading or a note."""
    token = _FIRST_TOKEN.split(first_field.strip(), maxsplit=1)[0].strip('"')
    return (
        3 <= len(token) <= 7
        and token.isalnum()
        and sum(char.isdigit() for char in token) >= 3
    )


def _procedure_code(text: str, column: str) -> str:
    code = text.strip().strip('"').upper()
    if len(code) != 5 or not code.isalnum():
        raise ValueError(f"{column} '{text.strip()}' is not a 5-character CPT/HCPCS code")
    return code


def _yyyymmdd(text: str, column: str) -> date:
    value = text.strip()
    try:
        if len(value) != 8 or not value.isdigit():
            raise ValueError
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise ValueError(f"{column} '{value}' is not a date written YYYYMMDD") from None


def _rationale(text: str) -> str:
    rationale = text.strip().strip('"').strip()
    if len(rationale) > MAX_RATIONALE:
        raise ValueError(f"the rationale is longer than {MAX_RATIONALE} characters")
    return rationale


def kind_of(path: Path) -> str:
    """'ptp', 'mue' or 'aoc': what a CMS file holds, told by its heading and its first edit line
    (an add-on code file names its columns; a PTP file is tab-separated, an MUE file CSV)."""
    lines_read = 0
    with path.open("rb") as file:
        for raw in file:
            lines_read += 1
            text = _decode(raw).lstrip("\ufeff")
            if _aoc_heading(text.rstrip("\r\n").split("\t")) is not None:
                return "aoc"
            if text.strip() and _looks_like_data(text):
                return "ptp" if "\t" in text else "mue"
    raise NcciFileError(
        path, lines_read, "no edit found: is this a CMS PTP, MUE or add-on code file?"
    )


def read_ptp_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The edits of a practitioner PTP file, one dict per edit, in file order."""
    count = 0
    line_number = 0
    with path.open("rb") as file:
        for line_number, raw in enumerate(file, start=1):
            text = _decode(raw).lstrip("\ufeff").rstrip("\r\n")
            fields = text.split("\t")
            if not text.strip() or not _looks_like_data(fields[0]):
                continue
            try:
                row = _ptp_row(fields)
            except ValueError as exc:
                raise NcciFileError(path, line_number, str(exc)) from None
            count += 1
            yield row
    if count == 0:
        raise NcciFileError(
            path, line_number, "no PTP edit found: is this a practitioner PTP text file?"
        )


def _ptp_row(fields: list[str]) -> dict[str, Any]:
    if len(fields) < 6:
        raise ValueError(
            f"expected at least 6 tab-separated columns (Column 1, Column 2, prior to 1996, "
            f"Effective Date, Deletion Date, Modifier), found {len(fields)}"
        )
    if fields[2].strip() not in ("", "*"):
        raise ValueError(f"the 'prior to 1996' column holds '{fields[2].strip()}', not '*'")
    effective = _yyyymmdd(fields[3], "Effective Date")
    deletion_text = fields[4].strip()
    deletion = None if deletion_text in ("", "*") else _yyyymmdd(deletion_text, "Deletion Date")
    if deletion is not None and deletion < effective:
        raise ValueError("the Deletion Date is before the Effective Date")
    indicator = fields[5].strip()
    if indicator not in MODIFIER_INDICATORS:
        raise ValueError(f"the modifier indicator '{indicator}' is not 0, 1 or 9")
    return {
        "column1": _procedure_code(fields[0], "Column 1"),
        "column2": _procedure_code(fields[1], "Column 2"),
        "effective_date": effective,
        "deletion_date": deletion,
        "modifier_indicator": indicator,
        "rationale": _rationale(" ".join(fields[6:])),
    }


def read_mue_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The MUE values of a practitioner MUE CSV file, one dict per code, in file order."""
    text = _decode(path.read_bytes()).lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    first_line_of: dict[str, int] = {}
    for fields in reader:
        if not fields or not _looks_like_data(fields[0]):
            continue
        try:
            row = _mue_row(fields)
        except ValueError as exc:
            raise NcciFileError(path, reader.line_num, str(exc)) from None
        if row["code"] in first_line_of:
            raise NcciFileError(
                path, reader.line_num,
                f"{row['code']} is listed again (first on line {first_line_of[row['code']]})",
            )
        first_line_of[row["code"]] = reader.line_num
        yield row
    if not first_line_of:
        raise NcciFileError(
            path, reader.line_num, "no MUE value found: is this a practitioner MUE CSV file?"
        )


def _mue_row(fields: list[str]) -> dict[str, Any]:
    if len(fields) < 3:
        raise ValueError(
            "expected the columns HCPCS/CPT Code, MUE Value, MUE Adjudication Indicator, "
            f"MUE Rationale; found {len(fields)} column(s)"
        )
    value_text = fields[1].strip()
    if not value_text.isdigit():
        raise ValueError(f"the MUE value '{value_text}' is not a whole number")
    indicator_text = fields[2].strip()
    indicator = indicator_text[:1]
    if indicator not in ("1", "2", "3") or indicator_text[1:2] not in ("", " "):
        raise ValueError(
            f"the MUE adjudication indicator '{indicator_text}' is not 1 (line edit), "
            "2 or 3 (date of service edit)"
        )
    return {
        "code": _procedure_code(fields[0], "HCPCS/CPT Code"),
        "mue_value": int(value_text),
        "adjudication_indicator": int(indicator),
        "rationale": _rationale(",".join(fields[3:])),
    }


def _cms_date(text: str, column: str) -> date:
    """A date as the AOC file writes it: YYYYDDD (year and day of the year), or YYYYMMDD."""
    value = text.strip()
    if len(value) == 7 and value.isdigit():
        day = int(value[4:])
        try:
            first = date(int(value[:4]), 1, 1)
            if not 1 <= day <= (date(first.year + 1, 1, 1) - first).days:
                raise ValueError
        except ValueError:
            raise ValueError(f"{column} '{value}' is not a date written YYYYDDD") from None
        return date.fromordinal(first.toordinal() + day - 1)
    return _yyyymmdd(value, column)


def _optional_cms_date(text: str, column: str) -> date | None:
    value = text.strip()
    if value in ("", "*") or set(value) == {"9"}:
        return None
    return _cms_date(value, column)


def _aoc_heading(fields: list[str]) -> dict[str, int] | None:
    """Where each AOC column is, when the line is the file's heading."""
    names = [" ".join(field.strip().strip('"').lower().split()) for field in fields]
    if "add-on code" not in names or "primary code" not in names:
        return None
    return {AOC_COLUMNS[name][0]: index for index, name in enumerate(names) if name in AOC_COLUMNS}


def read_aoc_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of an add-on code edit file, one dict per add-on and primary code pair."""
    columns: dict[str, int] | None = None
    count = 0
    line_number = 0
    with path.open("rb") as file:
        for line_number, raw in enumerate(file, start=1):
            text = _decode(raw).lstrip("\ufeff").rstrip("\r\n")
            fields = text.split("\t")
            if columns is None:
                columns = _aoc_heading(fields)
                if columns is not None:
                    missing = [name for name, (key, required) in AOC_COLUMNS.items()
                               if required and key not in columns]
                    if missing:
                        raise NcciFileError(path, line_number,
                                            f"the heading lacks the column(s) {', '.join(missing)}")
                continue
            if not text.strip() or not _looks_like_data(fields[0]):
                continue
            try:
                row = _aoc_row(fields, columns)
            except ValueError as exc:
                raise NcciFileError(path, line_number, str(exc)) from None
            count += 1
            yield row
    if columns is None:
        raise NcciFileError(path, line_number, "no heading naming Add-On Code and Primary Code: "
                            "is this a CMS add-on code edit text file?")
    if count == 0:
        raise NcciFileError(path, line_number, "no add-on code edit found")


def _aoc_row(fields: list[str], columns: dict[str, int]) -> dict[str, Any]:
    def value(key: str) -> str:
        index = columns.get(key)
        return fields[index] if index is not None and index < len(fields) else ""

    edit_type = value("edit_type").strip()
    if edit_type not in AOC_EDIT_TYPES:
        raise ValueError(f"the AOC edit type '{edit_type}' is not 1, 2 or 3")
    primary_text = value("primary_code").strip().strip('"').upper()
    primary = None if primary_text in NO_PRIMARY else _procedure_code(primary_text, "Primary Code")
    if primary is None and edit_type != "2":
        raise ValueError(f"a type {edit_type} edit must name its primary code")
    effective = _cms_date(value("effective_date"), "AOC Edit Effective Date")
    deletion = _optional_cms_date(value("deletion_date"), "AOC Edit Deletion Date")
    if deletion is not None and deletion < effective:
        raise ValueError("the AOC Edit Deletion Date is before its Effective Date")
    return {
        "addon_code": _procedure_code(value("addon_code"), "Add-On Code"),
        "primary_code": primary,
        "edit_type": int(edit_type),
        "effective_date": effective,
        "deletion_date": deletion,
    }


@asynccontextmanager
async def _replacing(target: AsyncEngine | AsyncSession) -> AsyncIterator[AsyncConnection]:
    """One transaction (a savepoint inside a caller's session) that a failure rolls back."""
    if isinstance(target, AsyncEngine):
        async with target.begin() as connection:
            yield connection
    else:
        async with target.begin_nested():
            yield await target.connection()


def _chunks(rows: Iterable[dict[str, Any]], quarter: str) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        row["quarter"] = quarter
        chunk.append(row)
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _label(quarter: str | None, paths: tuple[Path, ...]) -> str:
    label = (quarter or paths[0].stem).strip()
    if not label or len(label) > MAX_QUARTER:
        raise ValueError(f"the quarter label must be 1 to {MAX_QUARTER} characters")
    return label


async def _replace(
    target: AsyncEngine | AsyncSession,
    kind: str,
    model: type[NcciPtpEdit] | type[NcciMueEdit] | type[NcciAddonEdit],
    rows: Iterable[dict[str, Any]],
    quarter: str,
    paths: tuple[Path, ...],
) -> LoadResult:
    sources = tuple(path.name for path in paths)
    count = 0
    async with _replacing(target) as connection:
        await connection.execute(delete(model))
        for chunk in _chunks(rows, quarter):
            await connection.execute(insert(model), chunk)
            count += len(chunk)
        await connection.execute(insert(NcciLoad), [{
            "kind": kind,
            "quarter": quarter,
            "source": ", ".join(sources)[:MAX_SOURCE],
            "row_count": count,
            "loaded_at": utcnow(),
        }])
    return LoadResult(kind, quarter, count, sources)


async def load_ptp(
    target: AsyncEngine | AsyncSession, *paths: Path, quarter: str | None = None
) -> LoadResult:
    """Replace every PTP edit with those of the given practitioner PTP files."""
    if not paths:
        raise ValueError("name at least one PTP file")
    rows = (row for path in paths for row in read_ptp_rows(path))
    return await _replace(target, "ptp", NcciPtpEdit, rows, _label(quarter, paths), paths)


async def load_mue(
    target: AsyncEngine | AsyncSession, path: Path, quarter: str | None = None
) -> LoadResult:
    """Replace every MUE value with those of the given practitioner MUE file."""
    rows = read_mue_rows(path)
    return await _replace(target, "mue", NcciMueEdit, rows, _label(quarter, (path,)), (path,))


async def load_aoc(
    target: AsyncEngine | AsyncSession, path: Path, quarter: str | None = None
) -> LoadResult:
    """Replace every add-on code edit with those of the given add-on code edit file."""
    rows = read_aoc_rows(path)
    return await _replace(target, "aoc", NcciAddonEdit, rows, _label(quarter, (path,)), (path,))
