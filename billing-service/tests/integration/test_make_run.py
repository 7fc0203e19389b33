"""`make run` as a person uses it: both services start, Ctrl-C stops both cleanly, and a second
start does nothing the first one did already."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[3]
READY_TIMEOUT_SECONDS = 180  # a first run installs and migrates before it starts anything

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("make") is None, reason="needs make"),
]


def make(*arguments: str, **kwargs: object) -> subprocess.Popen[str]:
    env = {name: value for name, value in os.environ.items()
           if name not in ("DATABASE_URL", "MAKEFLAGS", "MAKELEVEL")}
    return subprocess.Popen(["make", "--no-print-directory", *arguments], cwd=REPO, env=env,
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            **kwargs)  # type: ignore[call-overload]


def wait_ready(process: subprocess.Popen[str], *urls: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    pending = list(urls)
    while pending:
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, f"not ready: {pending}"
        try:
            if httpx.get(f"{pending[0]}/readyz", timeout=2).status_code == 200:
                pending.pop(0)
                continue
        except httpx.TransportError:
            pass
        time.sleep(0.2)


def two_free_ports() -> tuple[int, int]:
    # Both bound at once, so that they differ.
    with socket.socket() as one, socket.socket() as other:
        one.bind(("127.0.0.1", 0))
        other.bind(("127.0.0.1", 0))
        return one.getsockname()[1], other.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_ctrl_c_stops_both_services_cleanly_and_a_second_start_migrates_nothing(
        tmp_path: Path) -> None:
    coding_port, billing_port = two_free_ports()
    variables = [f"CODING_PORT={coding_port}", f"BILLING_PORT={billing_port}", f"VAR={tmp_path}"]
    # A session of its own, so that the signal goes to make and everything it started, as a
    # terminal's Ctrl-C does, and to nothing else.
    run = make("run", *variables, start_new_session=True)
    try:
        wait_ready(run, f"http://127.0.0.1:{coding_port}", f"http://127.0.0.1:{billing_port}")
    except BaseException:
        os.killpg(run.pid, signal.SIGTERM)
        raise
    os.killpg(run.pid, signal.SIGINT)
    output, _ = run.communicate(timeout=60)

    assert run.returncode in (0, -signal.SIGINT, 128 + signal.SIGINT), output
    assert "make: ***" not in output  # no "Segmentation fault", "Interrupt" or "Error"
    assert "Traceback" not in output
    assert "Bytecode compiled" not in output
    assert output.count("Application shutdown complete.") == 2, output
    assert not listening(coding_port) and not listening(billing_port)

    again = make("-n", "run", *variables)
    planned, _ = again.communicate(timeout=60)
    assert again.returncode == 0, planned
    assert " migrate" not in planned and "build-index" not in planned, planned
