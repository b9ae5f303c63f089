"""Working days on China's official calendar (调休 included), and the notice periods built on them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date
    estimated: bool  # True when a day in it lies beyond the official schedule the library holds


def _known(day: date) -> bool:
    try:
        chinese_calendar.is_workday(day)
        return True
    except NotImplementedError:
        return False


def is_working_day(day: date) -> tuple[bool, bool]:
    """(is it a working day, is that an estimate) — beyond the official schedule, Mon–Fri are assumed."""
    if _known(day):
        return chinese_calendar.is_workday(day), False
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
