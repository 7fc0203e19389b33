import pytest

from rcm_shared.npi import is_npi_format, is_valid_npi


@pytest.mark.parametrize(
    ("npi", "valid"),
    [
        ("1234567893", True),  # the CMS NPI check-digit example
        ("1245319599", True),
        ("1234567890", False),
        ("1234567839", False),  # two digits swapped
        ("123456789", False),
        ("12345678930", False),
        ("12345678AB", False),
        ("١٢٣٤٥٦٧٨٩٣", False),  # Arabic-Indic digits are digits to str.isdigit(), not to an NPI
    ],
)
def test_npi_check_digit_uses_luhn_with_the_80840_prefix(npi: str, valid: bool) -> None:
    assert is_valid_npi(npi) is valid


def test_format_is_ten_ascii_digits() -> None:
    assert is_npi_format("1234567890")
    assert not is_npi_format("١٢٣٤٥٦٧٨٩٠")
