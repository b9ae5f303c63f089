"""The public registry's read model: search (simplified and traditional alike), filters, paging and
sorting, `as_of` answered from history, progress against targets, and a rebuild equal to the live
model."""
import random
from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.registry.readmodel import RegistryView

from test_registry import certified, certify, entry
from test_registry_lifecycle import concluded, follow, report_body

TODAY = date(2027, 6, 1)


@pytest.fixture
def view():
    view = RegistryView(":memory:")
    yield view
    view.close()


def names(view, registry, as_of=TODAY, **filters) -> list[str]:
    view.catch_up(registry)
    return [u["unit_name"] for u in view.search(as_of, **filters)[1]]


# -- as_of answers from history -----------------------------------------------------------------
def test_a_revoked_unit_is_absent_from_todays_registry_but_present_as_of_a_day_before_its_revocation(registry, view):
    kept = certified(registry, unit_name="成都天府云商电子商务有限公司")
    revoked = certified(registry, unit_name="绵阳云链电子商务有限公司", region_code="510703")
    registry.revoke(revoked.id, "violation", "绵市监罚〔2027〕17号", "", today=date(2027, 3, 2))

    assert names(view, registry, as_of=TODAY) == [kept.unit_name]
    assert names(view, registry, as_of=date(2027, 3, 2)) == [kept.unit_name]
    assert names(view, registry, as_of=date(2027, 3, 1)) == [kept.unit_name, revoked.unit_name]
    assert names(view, registry, as_of=date(2026, 12, 14)) == []
    assert names(view, registry, as_of=TODAY, status="revoked") == [revoked.unit_name]


def test_a_unit_that_gave_its_title_up_has_left_todays_registry_but_not_its_past(registry, view):
    unit = certified(registry)
    registry.give_up(unit.id, "不再经营", today=date(2027, 5, 1))

    assert names(view, registry) == []
    assert names(view, registry, as_of=date(2027, 4, 30)) == [unit.unit_name]
    assert view.unit_at(unit.id, TODAY)["status"] == "given_up"


def test_an_amended_name_is_found_from_its_day_and_the_old_name_before_it(registry, view):
    unit = certified(registry, unit_name="成都蜀锦电子商务有限公司")
    registry.amend(unit.id, {"unit_name": "成都蜀锦数字科技有限公司"}, "工商变更登记", today=date(2027, 5, 6))

    assert names(view, registry, q="数字科技") == ["成都蜀锦数字科技有限公司"]
    assert names(view, registry, q="电子商务") == []
    assert names(view, registry, as_of=date(2027, 5, 5), q="电子商务") == ["成都蜀锦电子商务有限公司"]


def test_a_unit_under_rereview_still_holds_its_title_and_a_confirmed_one_moves_its_due_date(registry, view):
    unit = certified(registry)
    registry.request_due_rereviews(date(2028, 12, 15), [unit.id])
    follow(registry, concluded(unit.id, "confirm", date(2028, 12, 20)))
    view.catch_up(registry)

    assert view.unit_at(unit.id, date(2028, 12, 16))["status"] == "under_rereview"
    confirmed = view.unit_at(unit.id, date(2028, 12, 20))
    assert (confirmed["status"], confirmed["rereview_due"], confirmed["holds_title"]) == ("confirmed", date(2030, 12, 20), True)
    assert view.unit_at(unit.id, date(2028, 12, 1))["rereview_due"] == date(2028, 12, 15)


def test_a_revocation_by_rereview_ends_the_title_on_the_conclusion_day(registry, view):
    unit = certified(registry)
    registry.request_due_rereviews(date(2028, 12, 15), [unit.id])
    follow(registry, concluded(unit.id, "revoke", date(2028, 12, 20), ["b2b_scale 未达标"]))

    assert names(view, registry, as_of=date(2028, 12, 19)) == [unit.unit_name]
    assert names(view, registry, as_of=date(2028, 12, 20)) == []


# -- search ---------------------------------------------------------------------------------------
def test_a_search_in_traditional_characters_finds_a_name_in_simplified_ones_and_the_reverse(registry, view):
    certified(registry, unit_name="四川蜀锦电子商务有限公司")
    certified(registry, unit_name="臺灣會館電子商務產業園", unit_type="base")
    certified(registry, unit_name="乐山嘉州商贸有限公司")

    assert names(view, registry, q="電子商務") == ["四川蜀锦电子商务有限公司", "臺灣會館電子商務產業園"]
    assert names(view, registry, q="台湾会馆") == ["臺灣會館電子商務產業園"]
    assert names(view, registry, q="蜀錦") == ["四川蜀锦电子商务有限公司"]
    assert names(view, registry, q="100%_") == []


def test_search_filters_by_unit_type_subtype_city_program_and_round(registry, view):
    round_a, round_b = uuid4(), uuid4()
    certify(registry, [entry(unit_name="A成都平台", round_id=round_a, round_label="2026-1"),
                       entry(unit_name="B绵阳平台", region_code="510703", round_id=round_a, round_label="2026-1"),
                       entry("enterprise", unit_name="C成都服务", subtype="service_enterprise", round_id=round_b,
                             round_label="2026-2"),
                       entry("base", unit_name="D乐山基地", region_code="511102", subtype=None)])

    assert names(view, registry, unit_type="base") == ["D乐山基地"]
    assert names(view, registry, subtype="b2b_platform") == ["A成都平台", "B绵阳平台"]
    assert names(view, registry, city="510100") == ["A成都平台", "C成都服务"]
    assert names(view, registry, region_code="510703") == ["B绵阳平台"]
    assert names(view, registry, round="2026-2") == ["C成都服务"]
    assert names(view, registry, round=str(round_a)) == ["A成都平台", "B绵阳平台"]
    assert names(view, registry, program_id="sichuan-ecommerce-demo") == ["A成都平台", "B绵阳平台", "C成都服务", "D乐山基地"]
    assert names(view, registry, program_id="another-program") == []


def test_search_pages_and_sorts_and_counts_every_match(registry, view):
    certify(registry, [entry(unit_name=f"示范{n:02d}电子商务有限公司") for n in range(12)])
    view.catch_up(registry)

    total, first = view.search(TODAY, limit=5, offset=0)
    _, third = view.search(TODAY, limit=5, offset=10)
    _, by_name_desc = view.search(TODAY, sort="-unit_name", limit=3)

    assert total == 12 and len(first) == 5 and len(third) == 2
    assert [u["certificate_no"] for u in first] == [f"SCDS-2026-{n:05d}" for n in range(1, 6)]
    assert [u["unit_name"] for u in by_name_desc] == [f"示范{n:02d}电子商务有限公司" for n in (11, 10, 9)]


def test_progress_counts_title_holders_by_type_at_a_date(registry, view):
    certify(registry, [entry(), entry(), entry("base", subtype=None), entry("rural_county", subtype=None)])
    lost = certified(registry)
    registry.revoke(lost.id, "other", "x", "", today=date(2027, 3, 1))
    view.catch_up(registry)

    today = registry.progress("sichuan-ecommerce-demo", view.holders_by_type("sichuan-ecommerce-demo", TODAY), TODAY)
    before = view.holders_by_type("sichuan-ecommerce-demo", date(2027, 2, 28))

    assert today["unit_types"] == {"enterprise": {"target": 50, "certified": 2},
                                   "base": {"target": 20, "certified": 1},
                                   "rural_county": {"target": 15, "certified": 1}}
    assert (today["certified"], today["target"]) == (4, 85)
    assert before["enterprise"] == 3


def test_due_for_rereview_lists_holders_whose_date_has_come_and_not_those_already_asked(registry, view):
    early = certified(registry, closed_on=date(2026, 12, 15))
    late = certified(registry, closed_on=date(2027, 1, 10))
    view.catch_up(registry)

    assert view.due_for_rereview(date(2028, 12, 15)) == [str(early.id)]
    registry.request_due_rereviews(date(2028, 12, 15), view.due_for_rereview(date(2028, 12, 15)))
    view.catch_up(registry)
    assert view.due_for_rereview(date(2029, 1, 10)) == [str(late.id)]


# -- following the log, rebuilding ----------------------------------------------------------------
def test_each_event_is_applied_once_however_often_the_model_catches_up(registry, view, tmp_path):
    certified(registry)
    first = RegistryView(tmp_path / "registry.db")
    second = RegistryView(tmp_path / "registry.db")  # another process on the same file

    assert first.catch_up(registry) == 3
    assert second.catch_up(registry) == 0 and first.catch_up(registry) == 0
    assert len(second.rows()) == 1 and second.position == registry.recorder.max_notification_id()


def test_a_model_ahead_of_its_store_starts_again(memory_env, tmp_path):
    from services.registry.app import RegistryApp

    path = tmp_path / "registry.db"
    old = RegistryApp(env=memory_env)
    certify(old, [entry(), entry()])
    RegistryView(path).catch_up(old)
    new = RegistryApp(env=memory_env)  # a fresh store under the old model's file
    certified(new)

    view = RegistryView(path)
    view.catch_up(new)

    assert len(view.rows()) == 1


def test_the_rebuilt_model_equals_the_live_one_after_a_few_hundred_lifecycle_events(registry, view):
    chance = random.Random(6)
    day, units = date(2026, 12, 15), []
    for period in range(40):  # six years of notices, reports, amendments, re-reviews and revocations
        day += timedelta(days=chance.randint(25, 60))
        approved = [entry(chance.choice(["enterprise", "base", "rural_county"]), unit_name=f"示范{period}-{n}電子商務",
                          region_code=chance.choice(["510104", "510703", "511102"]), round_label=f"R{period // 4}")
                    for n in range(chance.randint(2, 5))]
        for e in approved:
            e["subtype"] = "b2b_platform" if e["unit_type"] == "enterprise" else None
        units += [u.id for u in certify(registry, approved, closed_on=day)[1:]]
        for unit_id in chance.sample(units, k=min(len(units), 12)):
            _one_step(registry, chance, unit_id, day)
        view.catch_up(registry)  # the live model follows as the service's queries make it
        registry.request_due_rereviews(day, view.due_for_rereview(day))
        for unit_id in units:
            if registry.unit(unit_id).status == "under_rereview" and chance.random() < 0.7:
                follow(registry, concluded(unit_id, chance.choice(["confirm", "confirm", "revoke"]), day, ["未达标"]))
        if chance.random() < 0.5:
            view.catch_up(registry)
    view.catch_up(registry)

    rebuilt = RegistryView(":memory:")
    events = rebuilt.rebuild(registry)

    assert events >= 300, events
    print(f"{events} events, {len(view.rows())} spans of {len(units)} units")
    assert rebuilt.rows() == view.rows()
    assert rebuilt.position == view.position == registry.recorder.max_notification_id()
    statuses = {row["status"] for row in view.rows()}
    assert statuses >= {"certified", "under_rereview", "confirmed", "revoked", "given_up"}, statuses
    for as_of in (date(2027, 6, 1), date(2029, 1, 1), day):
        assert rebuilt.search(as_of, status="any", limit=1000) == view.search(as_of, status="any", limit=1000)


def _one_step(registry, chance, unit_id, day) -> None:
    """A random command on a unit; a refused one (the unit's state forbids it) writes nothing."""
    unit = registry.unit(unit_id)
    if not unit.holds_title:
        return
    step = chance.random()
    if step < 0.05:
        registry.revoke(unit_id, "violation", f"罚〔{day.year}〕{chance.randint(1, 99)}号", "", today=day)
    elif step < 0.08:
        registry.give_up(unit_id, "不再经营", today=day)
    elif step < 0.3:
        registry.amend(unit_id, {"unit_name": f"{unit.unit_name}·{chance.randint(1, 9999)}"}, "更名", today=day)
    elif step < 0.6 and unit.unit_type == "enterprise":
        year = day.year - 1
        if unit.valid_from.year <= year and year not in unit.reports:
            registry.submit_report(unit_id, year, **report_body(), today=day)


def test_the_rebuild_command_finds_a_tampered_model_and_recomputes_it_from_the_store(tmp_path, monkeypatch):
    import io
    import sqlite3

    from services.registry.app import RegistryApp
    from services.registry.cli import rebuild
    from shared.keys import ensure_local_keys

    monkeypatch.delenv("SHIFAN_REGISTRY_CIPHER_KEY", raising=False)
    keys = ensure_local_keys(tmp_path)  # the local stack's keys: the command finds the store key there
    store = RegistryApp(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "registry.sqlite"),
                             "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
                             "CIPHER_KEY": keys.cipher_keys["registry"], "CREATE_TABLE": "y"})
    unit = certified(store, unit_name="成都蜀锦电子商务有限公司")
    store.revoke(unit.id, "violation", "x", "", today=date(2027, 3, 2))
    out = io.StringIO()

    assert rebuild(str(tmp_path), out, check=True) == 0  # the live model, caught up, equals a rebuild
    with sqlite3.connect(tmp_path / "read-models" / "registry.db") as db:
        db.execute("UPDATE spans SET unit_name = '篡改'")
    assert rebuild(str(tmp_path), out, check=True) == 1
    assert rebuild(str(tmp_path), out) == 0
    assert rebuild(str(tmp_path), out, check=True) == 0
    assert rebuild(str(tmp_path / "nowhere"), out) == 2

    text = out.getvalue()
    assert "DIFFERS" in text and "rebuilt" in text and "from 2 unit events: 1 units, 2 spans" in text


def test_due_for_rereview_leaves_out_the_units_of_a_program_without_rereviews(registry, view):
    sichuan = certified(registry)
    cities = registry.prepare_batch_certification(uuid4(), "national-ecommerce-demo-cities", "第一批", [
        {"plan_id": uuid4(), "city_name": "深圳市", "region_code": "440300", "credit_code": "11440300000000001R"}],
        date(2026, 12, 15))
    registry.save(*cities)
    view.catch_up(registry)

    assert view.due_for_rereview(date(2029, 1, 10)) == [str(sichuan.id)]  # the city's date passed too
