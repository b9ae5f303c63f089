"""Zhejiang grading (seed 001) in the registry: a unit graded from its panel's mean score at the
award, graded again by each re-review (kept, upgraded, downgraded) or by the province with a
reason, its history kept; and the share of bases at AAA or above against the 50% target, at a date."""
from datetime import date, datetime, timezone
from decimal import Decimal
from uuid import uuid4

import pytest

from services.registry.policies import when_rereview_concluded_confirm_or_revoke
from services.registry.readmodel import RegistryView
from shared.contracts import CONTRACTS
from shared.contracts.review import RereviewConcludedV1
from shared.errors import Conflict, InvalidInput, NotFound
from shared.messaging.follower import PublicEvent
from shared.messaging.log import read_public_log

GRADING = "zhejiang-ecommerce-grading"
CLOSED_ON = date(2026, 12, 15)
DUE = date(2028, 12, 15)


def graded_entry(unit_type: str, mean_score: str, n: int = 1) -> dict:
    """An approved notice entry of the grading program, as NoticeClosedV1 loads it."""
    return {"application_id": uuid4(), "review_id": uuid4(), "unit_name": f"杭州电商{unit_type}{n}",
            "unit_type": unit_type, "subtype": None, "region_code": "330106",
            "credit_code": "91330106MA27XXXX0A", "program_id": GRADING, "round_id": None,
            "achievements": "", "mean_score": Decimal(mean_score)}


def certify(registry, *entries, closed_on=CLOSED_ON) -> list:
    aggregates = registry.prepare_certification(uuid4(), GRADING, list(entries), closed_on)
    registry.save(*aggregates)
    return [registry.unit_of_application(e["application_id"]) for e in entries]


def rereviewed(registry, unit, score: str, outcome: str = "confirm", on: date = DUE) -> None:
    data = RereviewConcludedV1().load({
        "rereview_id": str(uuid4()), "unit_id": str(unit.id), "outcome": outcome,
        "reasons": [] if outcome == "confirm" else ["mean score below the pass mark"],
        "mean_score": score, "concluded_on": on.isoformat()})
    event = PublicEvent(id="review:9", type=RereviewConcludedV1.TYPE, source="review", subject=data["rereview_id"],
                        time=datetime.now(timezone.utc), data=data)
    registry.save(*when_rereview_concluded_confirm_or_revoke(registry, event))


@pytest.fixture
def view():
    view = RegistryView(":memory:")
    yield view
    view.close()


def test_the_award_grades_each_unit_by_the_highest_band_its_mean_score_reaches(registry):
    units = certify(registry, graded_entry("base", "85.00", 1), graded_entry("base", "84.99", 2),
                    graded_entry("enterprise", "75.00", 3), graded_entry("enterprise", "74.99", 4),
                    graded_entry("enterprise", "60.00", 5))

    assert [u.grade for u in units] == ["AAA", "AA", "AA", "A", "A"]  # 以上: the band's minimum included
    first = units[0].grades[0]
    assert (first["change"], first["basis"], first["score"], first["on"]) == ("graded", "award", Decimal("85.00"),
                                                                            CLOSED_ON)
    assert units[0].certificate_no == "ZJDJ-2026-00001"


def test_a_program_without_grading_grades_nobody(registry):
    from test_registry import certified

    assert certified(registry).grade is None


def test_a_rereview_keeps_raises_or_lowers_the_grade_and_the_history_says_which(registry):
    kept, raised, lowered = certify(registry, graded_entry("base", "86.00", 1), graded_entry("base", "70.00", 2),
                                    graded_entry("enterprise", "90.00", 3))
    for unit, score in ((kept, "88.50"), (raised, "85.00"), (lowered, "74.00")):
        registry.request_due_rereviews(DUE, [unit.id])
        rereviewed(registry, unit, score)

    histories = {u.unit_name: [(g["grade"], g["change"], g["basis"]) for g in registry.unit(u.id).grades]
                 for u in (kept, raised, lowered)}
    assert histories == {
        kept.unit_name: [("AAA", "graded", "award"), ("AAA", "kept", "rereview")],
        raised.unit_name: [("A", "graded", "award"), ("AAA", "upgraded", "rereview")],
        lowered.unit_name: [("AAA", "graded", "award"), ("A", "downgraded", "rereview")],
    }
    assert registry.unit(lowered.id).status == "confirmed"


def test_a_revoking_rereview_ends_the_title_and_leaves_the_last_grade_in_its_history(registry):
    (unit,) = certify(registry, graded_entry("base", "80.00"))
    registry.request_due_rereviews(DUE, [unit.id])

    rereviewed(registry, unit, "50.00", outcome="revoke")

    unit = registry.unit(unit.id)
    assert unit.status == "revoked" and [g["grade"] for g in unit.grades] == ["AA"]


def test_the_province_downgrades_with_a_reason_that_stays_out_of_the_public_event(registry):
    (unit,) = certify(registry, graded_entry("base", "92.00"))

    registry.regrade(unit.id, "AA", "2027年抽查发现入驻企业标准执行不到位", today=date(2027, 5, 6))

    unit = registry.unit(unit.id)
    assert (unit.grade, unit.grades[-1]["change"], unit.grades[-1]["basis"]) == ("AA", "downgraded", "province")
    assert unit.notes[-1]["text"].startswith("2027年抽查")
    envelope = read_public_log(registry, 0, 100)[-1]
    assert envelope["type"] == "shifan.registry.unit_graded.v1"
    assert envelope["data"]["previous"] == "AAA" and "reason" not in envelope["data"]
    assert CONTRACTS[envelope["type"]].schema().load(envelope["data"])["grade"] == "AA"


@pytest.mark.parametrize("grade, reason, error", [
    ("AAAA", "理由", InvalidInput),     # not a band of this program
    ("AAA", "理由", Conflict),          # already AAA: nothing to change
    ("AA", "  ", InvalidInput),         # the province always gives a reason
])
def test_a_province_grade_that_is_unknown_unchanged_or_unexplained_is_refused_and_nothing_recorded(
        registry, grade, reason, error):
    (unit,) = certify(registry, graded_entry("base", "92.00"))
    before = registry.recorder.max_notification_id()

    with pytest.raises(error):
        registry.regrade(unit.id, grade, reason, today=date(2027, 5, 6))

    assert registry.recorder.max_notification_id() == before


def test_grades_cannot_be_set_in_a_program_that_does_not_grade(registry):
    from test_registry import certified

    with pytest.raises(Conflict):
        registry.regrade(certified(registry).id, "AAA", "理由", today=date(2027, 5, 6))
    with pytest.raises(NotFound):
        registry.grading("sichuan-ecommerce-demo", {}, CLOSED_ON)


def test_the_share_of_bases_at_aaa_or_above_is_exact_and_measured_against_the_target(registry, view):
    bases = certify(registry, *(graded_entry("base", s, n) for n, s in enumerate(("90", "88", "80", "70"), 1)),
                    graded_entry("enterprise", "95.00", 9))
    view.catch_up(registry)

    report = registry.grading(GRADING, view.holders_by_grade(GRADING, CLOSED_ON), CLOSED_ON)

    base = report["unit_types"]["base"]
    assert (base["holders"], base["by_grade"]) == (4, {"AAA": 2, "AA": 1, "A": 1})
    target = base["target"]
    assert (target["grade"], target["percent"], target["at_or_above"]) == ("AAA", 50, 2)
    assert (target["share_percent"], target["met"]) == (Decimal("50.00"), True)  # exactly half meets 50%
    assert report["unit_types"]["enterprise"]["target"] is None  # the seed sets no share for enterprises

    registry.regrade(bases[1].id, "AA", "抽查不合格", today=date(2027, 3, 1))
    view.catch_up(registry)
    later = registry.grading(GRADING, view.holders_by_grade(GRADING, date(2027, 3, 1)), date(2027, 3, 1))
    assert later["unit_types"]["base"]["target"]["at_or_above"] == 1
    assert later["unit_types"]["base"]["target"]["met"] is False
    before = registry.grading(GRADING, view.holders_by_grade(GRADING, date(2027, 2, 28)), date(2027, 2, 28))
    assert before["unit_types"]["base"]["target"]["met"] is True  # the grade's history answers `as_of`
    assert [u["unit_name"] for u in view.search(date(2027, 3, 1), grade="AAA", unit_type="base")[1]] == [
        bases[0].unit_name]


def test_a_revoked_base_leaves_the_share(registry, view):
    top, low = certify(registry, graded_entry("base", "90", 1), graded_entry("base", "65", 2))
    registry.revoke(low.id, "violation", "浙市监罚〔2027〕1号", "", today=date(2027, 4, 1))
    view.catch_up(registry)

    report = registry.grading(GRADING, view.holders_by_grade(GRADING, date(2027, 4, 1)), date(2027, 4, 1))

    assert report["unit_types"]["base"]["holders"] == 1
    assert report["unit_types"]["base"]["target"]["share_percent"] == Decimal("100.00")


def test_a_rebuilt_model_has_the_same_grades_as_the_live_one(registry, view, tmp_path):
    units = certify(registry, *(graded_entry("base", s, n) for n, s in enumerate(("90", "80", "65"), 1)))
    registry.regrade(units[0].id, "A", "抽查", today=date(2027, 3, 1))
    registry.request_due_rereviews(DUE, [u.id for u in units])
    for unit, score in zip(units, ("86", "61", "99")):
        rereviewed(registry, unit, score)
    view.catch_up(registry)

    rebuilt = RegistryView(tmp_path / "rebuilt.db")
    rebuilt.rebuild(registry)

    assert rebuilt.rows() == view.rows()
    current = {r["unit_id"]: r["grade"] for r in view.rows() if r["span_to"] is None}
    assert [current[str(u.id)] for u in units] == ["AAA", "A", "AAA"]
    rebuilt.close()
