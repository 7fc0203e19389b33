"""Where billing's contract test leaves its summary line for the end of the test session."""

from __future__ import annotations

import pytest

BILLING_CONTRACT_SUMMARY = pytest.StashKey[list[str]]()
