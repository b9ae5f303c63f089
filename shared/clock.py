"""The clock every time-dependent rule reads: the system clock in production, a file the demo and tests drive."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")  # no daylight saving since 1991


def china_date(moment: datetime) -> date:
    """The calendar day in China at a moment: deadlines and working days are counted in it."""
    return moment.astimezone(CHINA).date()


class SystemClock:
    """Real time, aware UTC."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def today(self) -> date:
        return china_date(self.now())


class FileClock:
    """Time read from a file holding one ISO datetime; an absent file means real time.

    Several processes share one file, so the demo and the end-to-end tests move every
    service's time at once, without sleeping.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def now(self) -> datetime:
        try:
            text = self.path.read_text().strip()
        except FileNotFoundError:
            return datetime.now(timezone.utc)
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            raise ValueError(f"clock file {self.path} holds a naive datetime: {text!r}")
        return moment.astimezone(timezone.utc)

    def today(self) -> date:
        return china_date(self.now())

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("clock moments must be timezone-aware")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(moment.astimezone(timezone.utc).isoformat())
        tmp.replace(self.path)


def clock_from_setting(setting: str):
    """`system` or `file:<path>`, as the CLOCK config key says."""
    if setting in ("", "system"):
        return SystemClock()
    if setting.startswith("file:") and setting[len("file:"):].strip():
        return FileClock(setting[len("file:"):])
    raise ValueError(f"CLOCK must be 'system' or 'file:<path>', not {setting!r}")
