from datetime import date, timedelta

import holidays
import pytest

from menu_planner.procurement.calendar import (
    Month,
    army_day,
    calendar_weeks,
    cycle_position,
    days_without_service,
    easter_sunday,
    national_holidays,
    service_dates,
    service_pattern,
    service_weeks,
    weekdays_per_cycle_week,
)


@pytest.mark.parametrize("year, easter", [
    (2000, date(2000, 4, 23)), (2019, date(2019, 4, 21)), (2024, date(2024, 3, 31)),
    (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)), (2038, date(2038, 4, 25)),
    (2285, date(2285, 3, 22)),
])
def test_easter_sunday_matches_known_dates(year, easter):
    assert easter_sunday(year) == easter


def test_holy_week_2026_is_thursday_2_and_friday_3_april():
    names = {h.name_es: h.day for h in national_holidays(2026)}
    assert names["Jueves Santo"] == date(2026, 4, 2)
    assert names["Viernes Santo"] == date(2026, 4, 3)
    assert names["Sábado Santo"] == date(2026, 4, 4)
    off = days_without_service(2026)
    assert date(2026, 4, 2) in off and date(2026, 4, 3) in off


@pytest.mark.parametrize("year, observed", [
    (2023, date(2023, 7, 3)),   # Friday -> next Monday
    (2024, date(2024, 7, 1)),   # Sunday -> next Monday
    (2025, date(2025, 6, 30)),  # Monday stays
    (2026, date(2026, 6, 29)),  # Tuesday -> Monday before
    (2027, date(2027, 6, 28)),  # Wednesday -> Monday before
])
def test_army_day_moves_to_a_monday_as_decreto_19_2018_says(year, observed):
    assert army_day(year) == observed


def test_our_holidays_agree_with_the_holidays_package_except_the_capitals_feast():
    # The package lists 15 August (Asunción) nationally; it is Guatemala City's local
    # feast, so centers declare it as a closure. Holy Saturday is in both lists.
    for year in range(2020, 2036):
        ours = {h.day for h in national_holidays(year) if not h.half_day}
        theirs = set(holidays.country_holidays("GT", years=year))
        assert ours == theirs - {date(year, 8, 15)}, year


def test_half_days_count_as_service_days_unless_asked_otherwise():
    december = Month(2026, 12)
    served = service_dates(december)
    assert date(2026, 12, 24) in served and date(2026, 12, 31) in served
    assert date(2026, 12, 25) not in served
    strict = service_dates(december, half_days_off=True)
    assert set(served) - set(strict) == {date(2026, 12, 24), date(2026, 12, 31)}


def test_april_2026_has_20_service_days_counted_by_hand():
    # 22 weekdays (1-3, 6-10, 13-17, 20-24, 27-30) minus Holy Thursday and Good Friday.
    expected = [date(2026, 4, 1)] + [date(2026, 4, d) for d in
                                     (6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24,
                                      27, 28, 29, 30)]
    assert service_dates(Month(2026, 4)) == expected


def test_a_closure_removes_only_that_center_day():
    april = Month(2026, 4)
    closed = [date(2026, 4, 17), date(2026, 4, 18), date(2026, 4, 2)]  # Fri, Sat, holiday
    assert len(service_dates(april, closures=closed)) == 19


def test_a_residential_center_serves_every_day_holidays_included():
    pattern = service_pattern(5, "permanente")
    assert len(service_dates(Month(2026, 4), pattern)) == 30
    assert service_pattern(5, "diurno").weekdays == frozenset({1, 2, 3, 4, 5})


def test_cycle_week_one_is_the_week_of_the_start_date_and_the_cycle_restarts():
    start = date(2026, 4, 1)  # a Wednesday: week 1 starts Monday 30 March
    assert cycle_position(date(2026, 3, 30), start, 6) == (1, 1)
    assert cycle_position(date(2026, 4, 6), start, 6) == (2, 1)
    assert cycle_position(date(2026, 5, 8), start, 6) == (6, 5)
    assert cycle_position(date(2026, 5, 11), start, 6) == (1, 1)
    assert cycle_position(date(2026, 3, 27), start, 6) == (6, 5)  # the week before


def test_service_weeks_of_april_2026_map_onto_cycle_weeks():
    weeks = service_weeks(service_dates(Month(2026, 4)), date(2026, 3, 2), 6)
    # 2 March is cycle week 1; 30 March is 4 weeks later -> cycle week 5.
    assert [(w.cycle_week, w.weekdays) for w in weeks] == [
        (5, (3,)), (6, (1, 2, 3, 4, 5)), (1, (1, 2, 3, 4, 5)), (2, (1, 2, 3, 4, 5)),
        (3, (1, 2, 3, 4)),
    ]


def test_weekdays_per_cycle_week_covers_every_calendar_week_for_each_center():
    april = Month(2026, 4)
    served = {"a": service_dates(april), "b": service_dates(april, closures=[date(2026, 4, 1)])}
    weeks = weekdays_per_cycle_week(april, date(2026, 4, 1), 6, served)
    assert [w for w, _ in weeks] == [1, 2, 3, 4, 5]
    assert weeks[0][1] == {"a": (3,), "b": ()}
    assert sum(len(days) for _, per in weeks for days in [per["a"]]) == 20
    assert calendar_weeks(april)[0] == date(2026, 3, 30)


def test_month_parsing_and_bounds():
    m = Month.parse("2024-02")
    assert (m.first_day, m.last_day) == (date(2024, 2, 1), date(2024, 2, 29))
    assert str(Month(2026, 1).previous()) == "2025-12"
    assert Month(2026, 12).last_day + timedelta(days=1) == date(2027, 1, 1)
    for bad in ("2026-13", "2026-4", "abril", "2026/04", ""):
        with pytest.raises(ValueError, match="mes inválido"):
            Month.parse(bad)
