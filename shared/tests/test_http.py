import pytest

from rcm_shared.http import _parse_if_match, check_version
from rcm_shared.problems import ProblemError


@pytest.mark.parametrize("header", ["3", '"3"', 'W/"3"', " 3 "])
def test_if_match_accepts_bare_and_quoted_versions(header: str) -> None:
    assert _parse_if_match(header) == 3


def test_if_match_rejects_non_numbers() -> None:
    with pytest.raises(ProblemError) as caught:
        _parse_if_match('"abc"')
    assert caught.value.status == 400


def test_stale_version_is_412_and_missing_required_is_428() -> None:
    check_version(3, 3)
    with pytest.raises(ProblemError) as stale:
        check_version(2, 3)
    assert stale.value.status == 412
    assert stale.value.extra["current_version"] == 3
    with pytest.raises(ProblemError) as missing:
        check_version(None, 3)
    assert missing.value.status == 428
    check_version(None, 3, required=False)
