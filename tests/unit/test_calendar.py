"""An official schedule for a year the library does not know makes notice periods official, not estimated."""
import pytest
from datetime import date

from shared.cli import main
from shared.workdays import working_day_period

SCHEDULE_2027 = """\
year: 2027
source: test schedule in the official format (not the real 2027 arrangement)
holidays: [2027-10-01, 2027-10-04, 2027-10-05, 2027-10-06, 2027-10-07]
workdays: [2027-09-26, 2027-10-09]
"""


@pytest.fixture
def calendar_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SHIFAN_CALENDAR_DIR", str(tmp_path / "calendar"))
    return tmp_path / "calendar"


def test_without_a_schedule_a_period_beyond_the_librarys_data_is_an_estimate(calendar_dir):
    assert working_day_period(date(2027, 9, 28), 10).estimated is True


def test_a_loaded_schedule_counts_its_holidays_and_adjusted_workdays(tmp_path, calendar_dir, capsys):
    source = tmp_path / "2027.yaml"
    source.write_text(SCHEDULE_2027, encoding="utf-8")

    assert main(["calendar", "load", str(source)]) == 0

    period = working_day_period(date(2027, 9, 28), 10)
    # Tue 9/28, 9/29, 9/30 (3); 10/1-10/7 off; Fri 10/8 (4), Sat 10/9 worked (5); Sun 10/10 off;
    # 10/11 .. 10/15 (6-10)
    assert (period.first_day, period.last_day, period.estimated) == (date(2027, 9, 28), date(2027, 10, 15), False)
    assert (calendar_dir / "2027.yaml").exists()


def test_a_schedule_with_a_weekday_listed_as_a_workday_is_refused(tmp_path, calendar_dir):
    source = tmp_path / "bad.yaml"
    source.write_text(SCHEDULE_2027.replace("2027-09-26", "2027-09-27"), encoding="utf-8")

    with pytest.raises(SystemExit, match="Saturday or Sunday"):
        main(["calendar", "load", str(source)])
    assert not (calendar_dir / "2027.yaml").exists()


def test_notice_period_prints_both_days_and_whether_they_are_official(capsys, calendar_dir):
    assert main(["notice", "period", "2026-09-28"]) == 0

    out = capsys.readouterr().out
    assert "2026-09-28 to 2026-10-15" in out and "official calendar" in out
