"""The load generator: a separate process driving one workload over keep-alive connections.

    python -m benchmarks.loadgen '{"workload": "ceiling", "targets": {"ceiling": "http://..."},
                                   "connections": 50, "warmup": 2, "duration": 10}'

Each virtual user owns one HTTP/1.1 connection per service and runs its workload in a loop:
closed (the next request leaves when the answer to the last one is in) or, with "pace",
paced (one iteration every `pace` seconds, latency counted from when the request was due, so
a slow answer that delays the next request is not hidden). Requests are
written as prepared bytes and answers parsed with httptools on uvloop, so one generator core
outruns one server core by a wide margin and the ceiling row measures the server, not the
client. Only requests that complete inside the measured window count; the warm-up before it
is discarded. Prints one JSON object: counts, rates and latency percentiles.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httptools

from benchmarks import workloads


class RequestFailed(Exception):
    """An answer with an unexpected status, or a connection that broke."""


@dataclass(slots=True)
class Answer:
    status: int
    etag: str | None
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _Protocol(asyncio.Protocol):
    """One keep-alive connection: write a request, wait for its complete answer."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[Answer] | None = None
        self.chunks: list[bytes] = []
        self.etag: str | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.parser.feed_data(data)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(RequestFailed(f"connection lost: {exc!r}"))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == b"etag":
            self.etag = value.decode()

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        answer = Answer(self.parser.get_status_code(), self.etag, b"".join(self.chunks))
        self.chunks = []
        self.etag = None
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(answer)

    async def exchange(self, request: bytes) -> Answer:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return await self.waiter


def prepare(method: str, path: str, host: str, headers: dict[str, str] | None = None,
            body: bytes | None = None) -> bytes:
    """The bytes of one HTTP/1.1 request."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body is not None:
        lines.append("Content-Type: application/json")
        lines.append(f"Content-Length: {len(body)}")
    elif method != "GET":
        lines.append("Content-Length: 0")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


@dataclass
class Recorder:
    """Latencies of the requests and the units of work completed inside the window."""

    starts_at: float
    ends_at: float
    latencies: dict[str, list[float]] = field(default_factory=dict)
    units: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    def measuring(self, now: float) -> bool:
        return self.starts_at <= now <= self.ends_at

    def record(self, label: str, started: float, finished: float) -> None:
        if self.measuring(finished):
            self.latencies.setdefault(label, []).append(finished - started)

    def unit_done(self, count: int = 1) -> None:
        if self.measuring(time.perf_counter()):
            self.units += count

    def failed(self, message: str) -> None:
        if self.measuring(time.perf_counter()):
            self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(message[:500])


class Client:
    """What a workload sees: one connection per service, requests recorded by label."""

    def __init__(self, connections: dict[str, tuple[_Protocol, str]], recorder: Recorder,
                 auth: str) -> None:
        self._connections = connections
        self.recorder = recorder
        self.auth = auth
        self.due: float | None = None  # when a paced request was due to leave


    async def send(self, label: str, service: str, request: bytes,
                   expect: tuple[int, ...] = (200,)) -> Answer:
        protocol, _ = self._connections[service]
        started = self.due or time.perf_counter()
        self.due = None
        answer = await protocol.exchange(request)
        finished = time.perf_counter()
        if answer.status not in expect:
            raise RequestFailed(f"{label}: {answer.status} {answer.body[:300]!r}")
        self.recorder.record(label, started, finished)
        return answer

    async def call(self, label: str, service: str, method: str, path: str,
                   body: Any = None, headers: dict[str, str] | None = None,
                   expect: tuple[int, ...] = (200,)) -> Answer:
        _, host = self._connections[service]
        all_headers = {"Authorization": self.auth, **(headers or {})}
        payload = json.dumps(body).encode() if body is not None else None
        return await self.send(label, service, prepare(method, path, host, all_headers, payload),
                               expect)

    def host(self, service: str) -> str:
        return self._connections[service][1]


async def _connect(url: str) -> tuple[_Protocol, str]:
    parts = urlsplit(url)
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_connection(_Protocol, parts.hostname, parts.port)
    return protocol, parts.netloc


Workload = Callable[[Client, int, dict[str, Any]], Awaitable[None]]


async def _virtual_user(number: int, workload: Workload, spec: dict[str, Any],
                        recorder: Recorder) -> None:
    params = spec.get("params", {})
    pace = float(spec.get("pace", 0))
    due = time.perf_counter() + random.uniform(0, pace)
    while time.perf_counter() < recorder.ends_at:
        connections: dict[str, tuple[_Protocol, str]] = {}
        try:
            for name, url in spec["targets"].items():
                connections[name] = await _connect(url)
            client = Client(connections, recorder, spec.get("auth", "Bearer demo-key-clinic-a"))
            while time.perf_counter() < recorder.ends_at:
                if pace:
                    await asyncio.sleep(max(0.0, due - time.perf_counter()))
                    client.due = due
                    due += pace
                await workload(client, number, params)
        except (RequestFailed, OSError) as exc:
            recorder.failed(str(exc))
            await asyncio.sleep(0.01)
        finally:
            for protocol, _ in connections.values():
                if protocol.transport is not None:
                    protocol.transport.close()


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(fraction * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summarize(recorder: Recorder, window_utc: list[str]) -> dict[str, Any]:
    seconds = recorder.ends_at - recorder.starts_at
    every = sorted(v for values in recorder.latencies.values() for v in values)

    def stats(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        return {
            "count": len(ordered),
            "p50_ms": round(percentile(ordered, 0.50) * 1000, 2),
            "p90_ms": round(percentile(ordered, 0.90) * 1000, 2),
            "p99_ms": round(percentile(ordered, 0.99) * 1000, 2),
        }

    return {
        "seconds": round(seconds, 2),
        "window_utc": window_utc,
        "requests": len(every),
        "rps": round(len(every) / seconds, 1),
        "units": recorder.units,
        "units_per_second": round(recorder.units / seconds, 1),
        "errors": recorder.errors,
        "error_samples": recorder.error_samples,
        **{key: value for key, value in stats(every).items() if key != "count"},
        "by_label": {label: stats(values) for label, values in recorder.latencies.items()},
    }


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    workload: Workload = getattr(workloads, spec["workload"])
    now = time.perf_counter()
    warmup, duration = float(spec.get("warmup", 2)), float(spec.get("duration", 10))
    starts_at = now + warmup
    recorder = Recorder(starts_at, starts_at + duration)
    wall = time.time() + warmup
    window_utc = [datetime.fromtimestamp(moment, UTC).isoformat()
                  for moment in (wall, wall + duration)]
    users = [
        asyncio.create_task(_virtual_user(number, workload, spec, recorder))
        for number in range(int(spec.get("connections", 50)))
    ]
    # A user stuck on an answer that never comes must not hold the run open for ever.
    _, pending = await asyncio.wait(users, timeout=recorder.ends_at - now + 30)
    for task in pending:
        task.cancel()
    return summarize(recorder, window_utc)


def main() -> None:
    spec = json.loads(sys.argv[1])
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn's standard extras bring it
        result = asyncio.run(run(spec))
    else:
        result = uvloop.run(run(spec))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
