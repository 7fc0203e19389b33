"""Time from process start to a ready coding-service (GET /readyz answers 200), and its memory.

Runs the service the way `make run` does (uvicorn, one worker) on a free loopback port against
a migrated SQLite database, several times, with the ICD-10-CM index already cached (a "second
start") unless --cold is given. Prints one JSON line per run and a summary.

    uv run python coding-service/scripts/measure_startup.py --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_start(env: dict[str, str]) -> dict[str, float]:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "coding_service.main:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(timeout=1) as client:
            while True:
                try:
                    if client.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None:
                    raise SystemExit("coding-service exited during start-up")
                time.sleep(0.005)
        ready = time.perf_counter() - started
        return {"ready_seconds": round(ready, 3), "rss_mb": round(rss_mb(process.pid), 1)}
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="delete the index cache before each run")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="startup-"))
    cache = workdir / "cache"
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'coding.db'}",
           "CODESET_CACHE_DIR": str(cache), "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "-m", "coding_service.cli", "migrate"], env=env, check=True,
                   cwd=REPO)
    if not args.cold:
        subprocess.run([sys.executable, "-m", "coding_service.cli", "build-index"], env=env,
                       check=True, stdout=subprocess.DEVNULL)
    runs = []
    for _ in range(args.runs):
        if args.cold:
            shutil.rmtree(cache, ignore_errors=True)
        runs.append(one_start(env))
        print(json.dumps(runs[-1]))
    summary = {
        "mode": "cold (index built)" if args.cold else "cached index",
        "runs": len(runs),
        "ready_seconds_median": statistics.median(r["ready_seconds"] for r in runs),
        "ready_seconds_max": max(r["ready_seconds"] for r in runs),
        "rss_mb_median": statistics.median(r["rss_mb"] for r in runs),
    }
    print(json.dumps(summary))
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
