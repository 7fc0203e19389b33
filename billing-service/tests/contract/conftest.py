"""Prints how many cases billing's contract fuzzing ran, at the end of the test session."""

from __future__ import annotations

import pytest
from billing_contract_summary import BILLING_CONTRACT_SUMMARY


def pytest_configure(config: pytest.Config) -> None:
    config.stash[BILLING_CONTRACT_SUMMARY] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter,
                            config: pytest.Config) -> None:
    for line in config.stash.get(BILLING_CONTRACT_SUMMARY, []):
        terminalreporter.write_line(line)
