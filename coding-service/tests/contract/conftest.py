"""Prints how many cases the contract fuzzing ran, at the end of the test session."""

from __future__ import annotations

import pytest
from coding_contract_summary import CONTRACT_SUMMARY


def pytest_configure(config: pytest.Config) -> None:
    config.stash[CONTRACT_SUMMARY] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter,
                            config: pytest.Config) -> None:
    for line in config.stash.get(CONTRACT_SUMMARY, []):
        terminalreporter.write_line(line)
