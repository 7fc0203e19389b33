"""The results: a text table for the terminal and the generated part of docs/benchmarks.md."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
RUN_BEGIN, RUN_END = "<!-- run:begin -->", "<!-- run:end -->"


@dataclass(frozen=True)
class Row:
    name: str
    database: str
    rps: float
    p50_ms: float
    p99_ms: float
    ceiling_rps: float
    unit: str = ""
    unit_rate: float = 0.0
    target: str = ""
    met: bool | None = None
    errors: int = 0
    # False where one request carries many units of work: its requests per second are not
    # comparable with the ceiling's.
    comparable: bool = True

    @property
    def ratio(self) -> str:
        return f"{self.rps / self.ceiling_rps:.0%}" if self.ceiling_rps and self.comparable \
            else "-"

    @property
    def units(self) -> str:
        return f"{self.unit_rate:,.0f} {self.unit}" if self.unit else ""


@dataclass(frozen=True)
class StartupRow:
    service: str
    index: str
    ready_seconds: float
    rss_mb: float
    target: str = ""
    met: bool | None = None

    @classmethod
    def of(cls, service: str, index: str, runs: list[tuple[float, float]],
           target_seconds: float | None) -> StartupRow:
        ready = statistics.median(seconds for seconds, _ in runs)
        rss = statistics.median(mb for _, mb in runs)
        return cls(service, f"{index} (median of {len(runs)})", round(ready, 3), round(rss, 1),
                   f"ready < {target_seconds:g} s" if target_seconds else "",
                   ready < target_seconds if target_seconds else None)


def _verdict(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "NOT met")


_COLUMNS = (("benchmark", 46), ("db", 10), ("req/s", 8), ("p50 ms", 8), ("p99 ms", 8),
            ("ceiling", 8), ("work/s", 20), ("target", 18), ("", 7))


def render_table(rows: list[Row], startup: list[StartupRow] | None = None,
                 header: bool = True) -> str:
    lines = []
    if header and rows is not None:
        lines.append("  ".join(name.ljust(width) for name, width in _COLUMNS).rstrip())
    for row in rows:
        cells = (row.name, row.database, f"{row.rps:,.0f}", f"{row.p50_ms:.2f}",
                 f"{row.p99_ms:.2f}", row.ratio, row.units, row.target, _verdict(row.met))
        lines.append("  ".join(str(c).ljust(w) for c, (_, w) in zip(cells, _COLUMNS,
                                                                    strict=True)).rstrip())
    for item in startup or []:
        lines.append(f"start-up  {item.service:<16} {item.index:<48} ready {item.ready_seconds:.3f}"
                     f" s  RSS {item.rss_mb:.1f} MB  {item.target} {_verdict(item.met)}".rstrip())
    return "\n".join(lines)


def render_markdown(rows: list[Row], startup: list[StartupRow], info: dict[str, str],
                    notes: list[str], plans: list[tuple[str, list[str]]] | None = None) -> str:
    out = [
        f"### Run of {info['date']}",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu_model']}), {info['memory']} memory; "
        f"Python {info['python']}, PostgreSQL {info['postgresql']}. Load average before the "
        f"run {info['load_before']}, after it {info.get('load_after', '-')}.",
        "",
        f"Versions: {info['versions']}.",
        "",
        "| benchmark | database | req/s | p50 ms | p99 ms | of ceiling | work/s | target | |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in rows:
        out.append(f"| {row.name} | {row.database} | {row.rps:,.0f} | {row.p50_ms:.2f} | "
                   f"{row.p99_ms:.2f} | {row.ratio} | {row.units} | {row.target} | "
                   f"{_verdict(row.met)} |")
    if startup:
        out += ["", "| service | start | ready s | RSS MB | target | |",
                "| --- | --- | ---: | ---: | --- | --- |"]
        for item in startup:
            out.append(f"| {item.service} | {item.index} | {item.ready_seconds:.3f} | "
                       f"{item.rss_mb:.1f} | {item.target} | {_verdict(item.met)} |")
    if notes:
        out += [""] + [f"- {note}" for note in notes]
    if plans:
        out += ["", "#### Query plans at scale", "",
                "Each read sent once at the end of the scale step, and EXPLAIN (ANALYZE, "
                "BUFFERS) of every statement it made, with its parameters."]
        for read, explained in plans:
            out += ["", f"<details><summary>{read}</summary>", ""]
            for plan in explained:
                out += ["```", plan, "```", ""]
            out.append("</details>")
    return "\n".join(out)


_SKELETON = f"""# Benchmarks

`make bench` writes the tables between the markers below; the rest of this page is kept.

{BEGIN}
{END}
"""


def write_doc(path: Path, run: str) -> Path:
    """Put this run first in the generated part of the page; the run before it stays below
    it, so two runs in a row show the spread."""
    text = path.read_text() if path.exists() else _SKELETON
    if BEGIN not in text or END not in text:
        text = text.rstrip() + "\n\n" + BEGIN + "\n" + END + "\n"
    head, rest = text.split(BEGIN, 1)
    generated, tail = rest.split(END, 1)
    previous = re.search(re.escape(RUN_BEGIN) + r"(.*?)" + re.escape(RUN_END), generated,
                         re.DOTALL)
    parts = ["", "## Latest run", "", RUN_BEGIN, run, RUN_END, ""]
    if previous:
        parts += ["## The run before it", "", previous.group(1).strip(), ""]
    path.write_text(head + BEGIN + "\n".join(parts) + END + tail)
    return path
