"""Write coding_service/codesets/data/icd10cm-code-history.csv: the codes new in the shipped
ICD-10-CM edition compared with the previous release, with the date they became valid.

The shipped edition is the April 2026 update (simple-icd-10-cm 1.5.0). The newest older
release on PyPI carries the April 2025 update (simple-icd-10-cm 1.4.0 and 1.3.0 both do); no
release carries the October 2025 (FY2026) edition. Codes absent from April 2025 therefore
arrived either on 2025-10-01 (FY2026) or on 2026-04-01 (the April 2026 update), and the two
cannot be told apart from these files: every one gets 2025-10-01, the earlier date, so the
"not valid on the date of service" rule never rejects a code that was valid.

The April 2025 code list is the one the service ships as its 2025-04 edition
(coding_service/codesets/data/icd10cm-2025-04/, taken from simple-icd-10-cm 1.4.0).

Usage (from the repository root):

    uv run python coding-service/scripts/icd10cm_code_history.py
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from coding_service.codesets.icd10cm import dotted
from coding_service.codesets.icd10cm_build import APRIL_2025, APRIL_2026
from coding_service.codesets.tabular import read_code_list

OUTPUT = (Path(__file__).resolve().parents[1]
          / "coding_service" / "codesets" / "data" / "icd10cm-code-history.csv")
VALID_FROM = "2025-10-01"
SOURCE = "new since April 2025 (simple-icd-10-cm 1.4.0 -> 1.5.0)"


def is_code(entry: str) -> bool:
    """Code list lines also hold chapter numbers ("4") and block ranges ("E08-E13")."""
    return not entry.isdigit() and "-" not in entry


def main() -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    new = read_code_list(APRIL_2026.files()[1])
    old = read_code_list(APRIL_2025.files()[1])
    added = sorted(code for code in new - old if is_code(code))
    with OUTPUT.open("w", newline="", encoding="utf-8") as stream:
        stream.write(
            "# ICD-10-CM codes new since the April 2025 release, valid from the FY2026 start.\n"
            "# Written by coding-service/scripts/icd10cm_code_history.py; see its docstring.\n"
            "# source: code lists of simple-icd-10-cm 1.4.0 (April 2025) and 1.5.0 (April 2026)\n"
            "# version: 2026-04\n"
        )
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["code", "valid_from", "source"])
        for code in added:
            writer.writerow([dotted(code), VALID_FROM, SOURCE])
    print(f"{len(added)} codes written to {OUTPUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
