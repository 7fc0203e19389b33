"""The independent X12 check from the tests: tests/x12_independent_check.py run by
`uv run --isolated` with linuxforhealth-x12 and the pydantic 1 it needs, pinned here, in an
environment of their own (uv fetches them from PyPI the first time, then from its cache).
A check that cannot run fails the test: nothing is skipped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHECK = Path(__file__).with_name("x12_independent_check.py")
PINS = ("linuxforhealth-x12==0.57.0", "pydantic==1.10.27")
TIMEOUT_SECONDS = 300


def _uv() -> str:
    found = os.environ.get("UV") or shutil.which("uv")
    if found:
        return found
    bootstrapped = REPO / ".tools" / "bin" / "uv"
    if bootstrapped.exists():
        return str(bootstrapped)
    pytest.fail("uv is needed to run the independent X12 check (make install bootstraps it)")


def independent_findings(texts: list[str]) -> list[list[str]]:
    """What linuxforhealth-x12 finds wrong in each text; an empty list for a valid one."""
    command = [_uv(), "run", "--isolated", "--no-project", "--quiet"]
    for pin in PINS:
        command += ["--with", pin]
    command += ["python", str(CHECK)]
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("VIRTUAL_ENV", "UV_PROJECT"))}
    done = subprocess.run(command, input=json.dumps(texts), capture_output=True, text=True,
                          timeout=TIMEOUT_SECONDS, cwd=REPO, env=env, check=False)
    if done.returncode != 0:
        pytest.fail(f"the independent X12 check did not run:\n{done.stderr[-3000:]}")
    found: list[list[str]] = json.loads(done.stdout)
    assert len(found) == len(texts)
    return found


def assert_valid(*texts: str) -> None:
    """Every text passes linuxforhealth-x12 with 0 errors."""
    for text, errors in zip(texts, independent_findings(list(texts)), strict=True):
        assert errors == [], f"{errors}\n{text}"
