"""The identifiers both services read or pass on, one form each.

billing-service forwards encounter ids and coding versions to coding-service, follows its feed
with coding-service's cursors, and builds claims from its patient ids and NPIs: when both
services check them with these types, whatever one accepts the other accepts too, so billing
can refuse a bad one itself (422) instead of relaying coding-service's refusal (502).

Every id is ASCII letters and digits with `.`, `_` and `-` inside: no spaces, no control
characters, nothing that needs escaping in a URL path, and no X12 separator (`*`, `:`, `~`),
since a patient id, a payer id or a member id is written into the 837.
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Interval
from pydantic import StringConstraints

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
MAX_RESOURCE_ID_LENGTH = 36  # a UUID, as both services issue their resources' ids
MAX_ID_LENGTH = 64


ResourceId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_RESOURCE_ID_LENGTH, pattern=ID_PATTERN),
]
"""An id a service issued for one of its resources (an encounter, a claim, a coverage...)."""

EncounterId = ResourceId
"""coding-service's encounter id, which billing-service forwards."""

Identifier = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_ID_LENGTH, pattern=ID_PATTERN),
]
"""An id of up to 64 characters: a tenant, a patient (the EHR's MRN), an event."""

TenantId = Identifier
PatientId = Identifier
EventId = Identifier

NPI_PATTERN = r"^[0-9]{10}$"  # ASCII digits: str.isdigit() would pass other scripts' digits
Npi = Annotated[str, StringConstraints(pattern=NPI_PATTERN)]
"""A National Provider Identifier's form: ten digits (the check digit is a rule)."""

MAX_CURSOR_LENGTH = 512
Cursor = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_CURSOR_LENGTH,
                      pattern=r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)?$"),
]
"""An opaque page or feed cursor (unpadded URL-safe base64, then a dot and its checksum),
passed back as it was given."""

MAX_CODING_VERSION = 10_000
CodingVersion = Annotated[int, Interval(ge=1, le=MAX_CODING_VERSION)]
"""An encounter's coding version: 1, then one more at each finalization after a reopen."""
