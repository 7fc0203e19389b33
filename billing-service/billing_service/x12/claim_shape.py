"""A professional claim as the 837P (005010X222A1) carries it. Pure.

The claim builder and scrubber keep every claim within these limits, and the 837P checks
refuse one beyond them. ICD-10-CM codes travel without their dot (HI segment) and are read
back with it.
"""

from __future__ import annotations

# HI: twelve diagnosis codes; loop 2400: fifty service lines; SV107: four pointers a line.
MAX_CLAIM_DIAGNOSES = 12
MAX_CLAIM_LINES = 50
MAX_LINE_POINTERS = 4


def dotted_icd(code: str) -> str:
    """'e119' -> 'E11.9'; an already dotted code is only upper-cased."""
    text = code.strip().upper()
    if "." in text or len(text) <= 3:
        return text
    return f"{text[:3]}.{text[3:]}"
