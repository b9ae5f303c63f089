"""The bench's arithmetic and bookkeeping: medians, percentiles, ratios to the raw baseline, the
machine a run happened on, and bench/results.json. No timing happens here, so it is unit-tested."""
from __future__ import annotations

import json
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

PACKAGES = ("nameko", "eventlet", "kombu", "amqp", "eventsourcing", "marshmallow", "werkzeug", "cryptography")


def median(values) -> float:
    ordered = sorted(values)
    if not ordered:
        raise ValueError("the median of nothing")
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values, p: float) -> float:
    """The p-th percentile (0..100), linear between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("a percentile of nothing")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is outside 0..100")
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(measured: float, baseline: float) -> float | None:
    """measured / baseline; None when the baseline is zero (nothing to compare with)."""
    return None if not baseline else measured / baseline


@dataclass
class Target:
    """What a figure must be: `at_most` or `at_least` this value."""

    value: float
    at_least: bool

    def met(self, figure: float | None) -> bool | None:
        if figure is None:
            return None
        return figure >= self.value if self.at_least else figure <= self.value

    def text(self) -> str:
        return f"{'≥' if self.at_least else '≤'} {self.value:g}"


def at_least(value: float) -> Target:
    return Target(value, True)


def at_most(value: float) -> Target:
    return Target(value, False)


@dataclass
class Figure:
    """One line of the table: the median of the runs, its unit, and the target it is held to."""

    scenario: str
    name: str
    runs: list[float]
    unit: str
    target: Target | None = None
    note: str = ""

    @property
    def value(self) -> float:
        return median(self.runs)

    def as_dict(self) -> dict:
        return {"scenario": self.scenario, "name": self.name, "median": self.value, "unit": self.unit,
                "runs": self.runs, "target": self.target.text() if self.target else None,
                "met": self.target.met(self.value) if self.target else None, "note": self.note}


@dataclass
class Results:
    mode: str
    started: float = field(default_factory=time.time)
    load_at_start: tuple = field(default_factory=os.getloadavg)
    figures: list[Figure] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    def add(self, scenario: str, name: str, runs, unit: str, target: Target | None = None, note: str = "") -> Figure:
        figure = Figure(scenario, name, [float(r) for r in runs], unit, target, note)
        self.figures.append(figure)
        return figure

    def as_dict(self) -> dict:
        return {"mode": self.mode, "machine": machine(), "versions": versions(),
                "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started)),
                "seconds": round(time.time() - self.started, 1),
                "load_average_at_start": [round(x, 2) for x in self.load_at_start],
                "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
                "figures": [f.as_dict() for f in self.figures], "details": self.details}

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    def table(self) -> str:
        rows = [("scenario", "figure", "median", "unit", "target", "met")]
        for f in self.figures:
            met = f.target.met(f.value) if f.target else None
            rows.append((f.scenario, f.name, _number(f.value), f.unit, f.target.text() if f.target else "—",
                         {True: "yes", False: "NO", None: "—"}[met]))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in rows]
        lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
        return "\n".join(lines)


def _number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def machine() -> dict:
    info = {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            info["cpu"] = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), None)
        with open("/proc/meminfo", encoding="utf-8") as f:
            info["memory_mb"] = int(f.readline().split()[1]) // 1024
    except OSError:  # not Linux: the platform string says enough
        pass
    return info


def versions() -> dict:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found
