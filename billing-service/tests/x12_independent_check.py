"""Checks X12 files against LinuxForHealth's linuxforhealth-x12 models (005010X279A1 270/271,
005010X212 276/277), an implementation independent of billing's readers and of pyx12, which
ships no 5010 map for them. It needs pydantic 1, so it runs in an environment of its own
(tests/x12_independent.py starts it with `uv run --isolated`), never in billing's.

stdin: a JSON list of X12 texts; stdout: a JSON list, per text, of the errors found (empty
when the text is valid).

linuxforhealth-x12 0.57.0 validates the 271's subscriber and dependent AAA (loops 2100C and
2100D) against the information receiver's code list (loop 2100B), which lacks the reasons the
implementation guide gives those loops (72 invalid member id, 75 member not found...). Those
two fields are given the guide's list for loops 2100C and 2100D before anything is read; no
other rule is changed.
"""

# No `from __future__ import annotations`: pydantic 1 reads the annotations of the classes
# below as written.
import json
import sys
from enum import Enum
from typing import List, Optional  # noqa: UP035 - pydantic 1 on whichever Python uv picks

from linuxforhealth.x12.io import X12ModelReader
from linuxforhealth.x12.v5010.x12_271_005010X279A1 import loops, segments
from pydantic.fields import FieldInfo, ModelField


class SubscriberAaaSegment(segments.Loop2100BAaaSegment):
    """Subscriber and dependent request validation (271 loops 2100C and 2100D)."""

    class RejectReasonCode(str, Enum):  # noqa: UP042 - as the library declares its own
        REQUIRED_APPLICATION_DATA_MISSING = "15"
        OUT_OF_NETWORK = "35"
        UNABLE_TO_RESPOND_AT_CURRENT_TIME = "42"
        INVALID_MISSING_PROVIDER_IDENTIFICATION = "43"
        INVALID_MISSING_PROVIDER_SPECIALTY = "45"
        INVALID_MISSING_PROVIDER_STATE = "47"
        INVALID_MISSING_REFERRING_PROVIDER_ID = "48"
        PROVIDER_IS_NOT_PRIMARY_CARE_PHYSICIAN = "49"
        PROVIDER_NOT_ON_FILE = "51"
        SERVICE_DATES_NOT_WITHIN_PROVIDER_PLAN_ENROLLMENT = "52"
        INAPPROPRIATE_DATE = "56"
        INVALID_MISSING_DATES_OF_SERVICE = "57"
        INVALID_MISSING_DATE_OF_BIRTH = "58"
        DATE_OF_BIRTH_FOLLOWS_DATES_OF_SERVICE = "60"
        DATE_OF_DEATH_PRECEDES_DATES_OF_SERVICE = "61"
        DATE_OF_SERVICE_NOT_WITHIN_ALLOWABLE_INQUIRY_PERIOD = "62"
        DATE_OF_SERVICE_IN_FUTURE = "63"
        PATIENT_BIRTH_DATE_DOES_NOT_MATCH = "71"
        INVALID_MISSING_SUBSCRIBER_ID = "72"
        INVALID_MISSING_SUBSCRIBER_NAME = "73"
        INVALID_MISSING_SUBSCRIBER_GENDER = "74"
        SUBSCRIBER_NOT_FOUND = "75"
        DUPLICATE_SUBSCRIBER_ID = "76"
        SUBSCRIBER_NOT_IN_GROUP_PLAN = "78"

    reject_reason_code: RejectReasonCode


def _give_subscriber_codes(model: type) -> None:
    model.__fields__["aaa_segment"] = ModelField.infer(
        name="aaa_segment",
        value=FieldInfo(None, min_items=0, max_items=9),
        annotation=Optional[List[SubscriberAaaSegment]],  # noqa: UP006, UP045
        class_validators=None,
        config=model.__config__,
    )


_give_subscriber_codes(loops.Loop2100C)
_give_subscriber_codes(loops.Loop2100D)


def errors_of(text: str) -> list[str]:
    try:
        with X12ModelReader(text) as reader:
            models = list(reader.models())
    except Exception as exc:  # every failure is a finding: nothing is skipped
        return [f"{type(exc).__name__}: {exc}"]
    if not models:
        return ["no transaction set was read"]
    return []


if __name__ == "__main__":
    texts = json.load(sys.stdin)
    json.dump([errors_of(text) for text in texts], sys.stdout)
