"""Working days on China's official calendar (调休 included), and the notice periods built on them.

Where a year's official schedule was loaded (`shifan calendar load FILE`, kept in
SHIFAN_CALENDAR_DIR), it is used; otherwise the `chinese-calendar` package's data; beyond both,
Monday to Friday are assumed and the result is marked as an estimate."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import chinese_calendar
import yaml
from marshmallow import RAISE, Schema, ValidationError, fields, validates_schema


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date
    estimated: bool  # True when a day in it lies beyond every official schedule known here


class ScheduleSchema(Schema):
    """One year's official holiday arrangement (国务院办公厅关于YYYY年部分节假日安排的通知)."""

    class Meta:
        unknown = RAISE

    year = fields.Integer(required=True)
    source = fields.String(required=True)
    holidays = fields.List(fields.Date(), required=True)   # weekdays that are days off
    workdays = fields.List(fields.Date(), required=True)   # weekend days that are working days

    @validates_schema
    def _days_in_year(self, data, **kwargs):
        for name in ("holidays", "workdays"):
            wrong = [d.isoformat() for d in data.get(name, []) if d.year != data.get("year")]
            if wrong:
                raise ValidationError(f"days outside {data.get('year')}: {', '.join(wrong)}", name)
        if any(d.weekday() < 5 for d in data.get("workdays", [])):
            raise ValidationError("a listed workday must be a Saturday or Sunday", "workdays")


def calendar_dir() -> Path:
    default = Path(os.environ.get("SHIFAN_VAR_DIR", "var")) / "calendar"
    return Path(os.environ.get("SHIFAN_CALENDAR_DIR", default))


def load_schedule_file(path: str | Path) -> dict:
    """Reads and checks a schedule file; raises ValidationError naming what is wrong."""
    with open(path, encoding="utf-8") as f:
        return ScheduleSchema().load(yaml.safe_load(f) or {})


def install_schedule(path: str | Path) -> Path:
    """Checks an official schedule file and keeps it where every service reads it."""
    schedule = load_schedule_file(path)
    target = calendar_dir() / f"{schedule['year']}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    _schedule.cache_clear()
    return target


@lru_cache(maxsize=32)
def _schedule(directory: str, year: int) -> dict | None:
    path = Path(directory) / f"{year}.yaml"
    if not path.exists():
        return None
    schedule = load_schedule_file(path)
    return {"holidays": set(schedule["holidays"]), "workdays": set(schedule["workdays"])}


def is_working_day(day: date) -> tuple[bool, bool]:
    """(is it a working day, is that an estimate)."""
    schedule = _schedule(str(calendar_dir()), day.year)
    if schedule is not None:
        return (day.weekday() < 5 and day not in schedule["holidays"]) or day in schedule["workdays"], False
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        return day.weekday() < 5, True


def working_day_period(published_on: date, working_days: int) -> Period:
    """The period of a notice published on a date: it starts that day if it is a working day
    (otherwise the next one) and ends on its `working_days`-th working day."""
    if working_days < 1:
        raise ValueError("a period has at least one working day")
    day, counted, first, estimated = published_on, 0, None, False
    while True:
        working, guess = is_working_day(day)
        estimated = estimated or guess
        if working:
            counted += 1
            first = first or day
            if counted == working_days:
                return Period(first, day, estimated)
        day += timedelta(days=1)
