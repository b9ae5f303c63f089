"""The bench's statistics and result file: medians, percentiles, ratios, targets, the table and
bench/results.json (no timing is measured here)."""
import json

import pytest

from bench.stats import Results, at_least, at_most, median, percentile, ratio


def test_median_of_odd_and_even_runs():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5


def test_percentiles_interpolate_between_closest_ranks():
    values = list(range(1, 101))  # 1..100
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 99) == pytest.approx(99.01)
    assert percentile(values, 0) == 1 and percentile(values, 100) == 100
    assert percentile([7], 99) == 7


def test_nothing_has_no_median_and_percentiles_stay_in_range():
    with pytest.raises(ValueError):
        median([])
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_ratio_to_a_zero_baseline_is_none():
    assert ratio(5, 10) == 0.5
    assert ratio(5, 0) is None


def test_targets_say_whether_a_figure_meets_them():
    assert at_least(0.5).met(0.6) and not at_least(0.5).met(0.4)
    assert at_most(50).met(50) and not at_most(50).met(51)
    assert at_most(50).met(None) is None
    assert at_least(20_000).text() == "≥ 20000"


def test_results_hold_the_median_of_runs_and_write_a_table_and_json(tmp_path):
    results = Results(mode="quick")
    results.add("latency", "idle p99", [40, 60, 45], "ms", at_most(50))
    results.add("rebuild", "events/s", [25_000], "events/s", at_least(20_000))
    out = tmp_path / "results.json"
    results.write(out)

    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["mode"] == "quick" and len(written["load_average_at_start"]) == 3
    assert written["machine"]["cpus"] >= 1 and "eventsourcing" in written["versions"]
    first = written["figures"][0]
    assert (first["median"], first["runs"], first["met"], first["target"]) == (45, [40, 60, 45], True, "≤ 50")
    table = results.table().splitlines()
    assert table[0].startswith("| scenario") and "25,000" in table[3] and table[3].rstrip().endswith("yes |")
