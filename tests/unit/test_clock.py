"""shared.clock: the file clock the demo drives, and choosing a clock from the CLOCK setting."""
from datetime import date, datetime, timedelta, timezone

import pytest

from shared.clock import FileClock, SystemClock, clock_from_setting

BEIJING = timezone(timedelta(hours=8))


def test_a_moment_set_on_the_file_clock_is_read_back_in_utc(tmp_path):
    clock = FileClock(tmp_path / "run" / "clock")
    moment = datetime(2026, 12, 1, 7, 30, tzinfo=BEIJING)

    clock.set(moment)

    assert clock.now() == moment
    assert clock.now().utcoffset() == timedelta(0)
    assert clock.today() == date(2026, 12, 1)  # days are counted in China: 07:30 there is 1 Dec


def test_the_file_clock_refuses_to_set_a_naive_datetime(tmp_path):
    clock = FileClock(tmp_path / "clock")

    with pytest.raises(ValueError):
        clock.set(datetime(2026, 12, 1, 9, 0))

    assert not clock.path.exists()


def test_a_naive_datetime_in_the_clock_file_is_an_error(tmp_path):
    path = tmp_path / "clock"
    path.write_text("2026-12-01T09:00:00")

    with pytest.raises(ValueError):
        FileClock(path).now()


def test_without_its_file_the_file_clock_tells_real_time(tmp_path):
    before = datetime.now(timezone.utc)

    now = FileClock(tmp_path / "absent").now()

    assert before <= now <= datetime.now(timezone.utc)
    assert now.tzinfo is not None


def test_clock_setting_system_or_empty_gives_the_system_clock():
    assert isinstance(clock_from_setting("system"), SystemClock)
    assert isinstance(clock_from_setting(""), SystemClock)


def test_clock_setting_file_gives_a_file_clock_on_that_path(tmp_path):
    clock = clock_from_setting(f"file:{tmp_path}/clock")

    assert isinstance(clock, FileClock)
    assert clock.path == tmp_path / "clock"


@pytest.mark.parametrize("setting", ["sundial", "File:/tmp/clock", "/tmp/clock", "system "])
def test_clock_setting_junk_is_an_error(setting):
    with pytest.raises(ValueError):
        clock_from_setting(setting)


def test_clock_setting_file_without_a_path_is_an_error():
    with pytest.raises(ValueError):
        clock_from_setting("file:")
