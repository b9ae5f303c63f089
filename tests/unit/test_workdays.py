"""shared.workdays: notice periods counted in official working days, 调休 included."""
from datetime import date

import pytest

from shared.workdays import Period, is_working_day, working_day_period


def test_a_period_inside_the_official_schedule_skips_weekends():
    # Tue 1 Dec 2026: 1-4 (4), 7-11 (9), 14 (10); no holiday in December.
    assert working_day_period(date(2026, 12, 1), 10) == Period(date(2026, 12, 1), date(2026, 12, 14), False)


def test_a_period_across_national_day_skips_the_holiday_and_counts_the_adjusted_saturday():
    # 2026 National Day: 1-7 Oct off; Sat 10 Oct is a working day (调休).
    # Mon 28 Sep: 28, 29, 30 (3); 8, 9 (5); Sat 10 (6); 12, 13, 14, 15 (10).
    # Without the adjusted Saturday it would end on Fri 16 Oct.
    assert working_day_period(date(2026, 9, 28), 10) == Period(date(2026, 9, 28), date(2026, 10, 15), False)


def test_the_adjusted_saturday_after_national_day_is_itself_a_working_day():
    assert is_working_day(date(2026, 10, 10)) == (True, False)
    assert working_day_period(date(2026, 10, 8), 3).last_day == date(2026, 10, 10)


def test_a_notice_published_on_a_holiday_starts_on_the_next_working_day():
    assert working_day_period(date(2026, 10, 1), 1) == Period(date(2026, 10, 8), date(2026, 10, 8), False)


def test_a_notice_published_on_saturday_before_an_adjusted_sunday_starts_that_sunday():
    # Sun 20 Sep 2026 is worked in exchange for the National Day holiday.
    assert working_day_period(date(2026, 9, 19), 1).first_day == date(2026, 9, 20)


def test_a_period_in_a_year_beyond_the_librarys_data_is_estimated_on_mondays_to_fridays():
    # The library knows 2004-2026; Mon 1 Mar 2027 + 10 weekdays ends Fri 12 Mar.
    assert working_day_period(date(2027, 3, 1), 10) == Period(date(2027, 3, 1), date(2027, 3, 12), True)


def test_a_period_running_into_an_unknown_year_is_estimated():
    period = working_day_period(date(2026, 12, 28), 10)

    assert period.first_day == date(2026, 12, 28)
    assert period.last_day.year == 2027
    assert period.estimated is True


def test_a_period_has_at_least_one_working_day():
    with pytest.raises(ValueError):
        working_day_period(date(2026, 12, 1), 0)
