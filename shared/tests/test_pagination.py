import base64

import pytest

from rcm_shared.pagination import cursor_id, decode_cursor, encode_cursor
from rcm_shared.problems import ProblemError


def test_cursor_round_trips_its_key() -> None:
    cursor = encode_cursor("2026-03-02T10:00:00+00:00", "abc")
    assert decode_cursor(cursor, str, str) == ["2026-03-02T10:00:00+00:00", "abc"]


def test_cursor_parsers_convert_parts() -> None:
    assert decode_cursor(encode_cursor(41), int) == [41]


@pytest.mark.parametrize("cursor", ["not-base64!!", encode_cursor(1, 2), encode_cursor("x"), "e30"])
def test_foreign_cursor_is_a_400_problem(cursor: str) -> None:
    with pytest.raises(ProblemError) as caught:
        decode_cursor(cursor, int)
    assert caught.value.status == 400
    assert caught.value.issues[0]["path"] == "query:cursor"


def test_an_edited_cursor_fails_its_checksum() -> None:
    payload, checksum = encode_cursor(41).split(".")
    edited = base64.urlsafe_b64encode(b"[40]").decode().rstrip("=")
    with pytest.raises(ProblemError):
        decode_cursor(f"{edited}.{checksum}", cursor_id)
    with pytest.raises(ProblemError):
        decode_cursor(payload, cursor_id)


def test_a_cursor_from_before_checksums_reads_only_where_allowed() -> None:
    kept = base64.urlsafe_b64encode(b"[41]").decode().rstrip("=")
    assert decode_cursor(kept, cursor_id, unchecked_ok=True) == [41]
    with pytest.raises(ProblemError):
        decode_cursor(kept, cursor_id)
