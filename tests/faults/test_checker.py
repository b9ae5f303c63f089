"""The fault suite's checker finds what it is there to find: a lost, a doubled and an unasked-for
unit, and read models that do not show the registry's log."""
from faults.checker import CERTIFIED, OPENED, check


def certified(n: int, application: str, number: str) -> dict:
    return {"id": f"registry:{n}", "type": CERTIFIED, "subject": f"unit-{n}",
            "data": {"application_id": application, "certificate_no": number}}


def unit(n: int, application: str, number: str) -> dict:
    return {"id": f"unit-{n}", "application_id": application, "certificate_no": number}


def opened(application: str) -> dict:
    return {"type": OPENED, "data": {"application_id": application}}


def delivered(n: int) -> dict:
    return {"event_id": f"registry:{n}", "event_type": CERTIFIED}


def test_a_run_where_everything_agrees_passes():
    log = [certified(1, "a", "SC-1"), certified(2, "b", "SC-2")]
    verdict = check({"a", "b"}, log, [opened("a"), opened("b")], [unit(1, "a", "SC-1"), unit(2, "b", "SC-2")],
                    [delivered(1), delivered(2)], ["registry:1", "registry:2"])
    assert verdict.ok and verdict.counts == "lost 0 / duplicated 0 / unexpected 0"


def test_lost_doubled_and_unasked_for_units_are_counted():
    log = [certified(1, "a", "SC-1"), certified(2, "a", "SC-1"), certified(3, "x", "SC-3")]
    units = [unit(1, "a", "SC-1"), unit(2, "a", "SC-1"), unit(3, "x", "SC-3")]
    verdict = check({"a", "b"}, log, [opened("a"), opened("a"), opened("b")], units,
                    [delivered(1), delivered(2), delivered(3)], [e["id"] for e in log])
    assert verdict.lost == ["b"]
    assert verdict.unexpected == ["x"]
    assert verdict.duplicated == sorted(["application a: 2 units", "application a: certified 2 times",
                                         "certificate SC-1: on 2 units", "certificate SC-1: issued 2 times",
                                         "application a: 2 reviews opened"])


def test_read_models_that_miss_or_repeat_events_disagree():
    log = [certified(1, "a", "SC-1"), certified(2, "b", "SC-2")]
    verdict = check({"a", "b"}, log, [opened("a"), opened("b")], [unit(1, "a", "SC-1")], [delivered(1)],
                    ["registry:2", "registry:1", "registry:1"])
    assert verdict.lost == ["b"]
    assert [line.split(":")[0] for line in verdict.disagreements] == ["registry /units", "notify", "agency"]
    assert "1 twice" in verdict.disagreements[2] and "OUT OF order" in verdict.disagreements[2]
