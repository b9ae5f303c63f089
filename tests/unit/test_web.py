"""The pages' shared helpers: the visitor's language, times in China Standard Time, figures read
exactly from a form, unknown form fields refused, and sign-in following only local paths."""
from datetime import date, datetime, timezone

import pytest
from werkzeug.datastructures import MultiDict

from shared.errors import InvalidInput
from shared.programs import load_program
from shared.samples import PROGRAM
from shared.web.figures import declaration_inputs, figure_inputs, form_values, parse_declarations, parse_figures
from shared.web.i18n import Translator, language
from shared.web.signin import local_path


def test_chinese_unless_the_visitor_asked_for_english():
    assert language(None, None) == "zh"
    assert language("en", None) == "en" and language(None, "en") == "en"
    assert language("zh", "en") == "zh" and language("fr", None) == "zh"


def test_times_show_in_china_standard_time_and_naive_ones_are_refused():
    zh, en = Translator("zh"), Translator("en")
    moment = datetime(2026, 12, 1, 17, 30, tzinfo=timezone.utc)
    assert zh.cst(moment) == "2026-12-02 01:30（北京时间）"
    assert en.cst(moment) == "2026-12-02 01:30 CST"
    assert zh.cst(date(2026, 12, 1)) == "2026-12-01"
    with pytest.raises(ValueError):
        zh.cst(datetime(2026, 12, 1, 17, 30))


def test_labels_and_yuan_in_either_language():
    assert Translator("zh").label("status", "revoked") == "已撤销"
    assert Translator("en").label("unit_type", "base") == "demonstration base"
    assert Translator("zh").label("status", "unheard-of") == "unheard-of"
    assert Translator("zh").yuan(5_000_000) == "5,000,000 元"


def test_figures_are_read_exactly_from_the_form():
    program = load_program(PROGRAM)
    inputs = figure_inputs(program, "base", None, ["2024", "2025"])
    form = MultiDict({"fig.office_floor_area_m2": "10000.50", "fig.transaction_volume_by_year.2024": "200,000,000",
                      "fig.transaction_volume_by_year.2025": "230000000", "fig.resident_enterprises_by_year.2024": ""})
    assert parse_figures(form, inputs) == {"office_floor_area_m2": "10000.5",
                                           "transaction_volume_by_year": {"2024": 200_000_000, "2025": 230_000_000}}


def test_a_figure_that_is_not_an_exact_number_is_refused_naming_its_field():
    inputs = figure_inputs(load_program(PROGRAM), "enterprise", "b2b_platform", [])
    with pytest.raises(InvalidInput) as refused:
        parse_figures(MultiDict({"fig.registered_capital": "500万", "fig.registered_enterprises": "12.5"}), inputs)
    assert set(refused.value.fields) == {"fig.registered_capital", "fig.registered_enterprises"}


def test_declarations_are_ticked_boxes_and_come_back_to_the_form():
    declarations = declaration_inputs(load_program(PROGRAM), "enterprise", "b2c_platform")
    parsed = parse_declarations(MultiDict({"decl.online_payment": "yes"}), declarations)
    assert parsed["online_payment"] is True and parsed["lawful_operation"] is False
    assert form_values({"registered_capital": 1}, parsed) == {"fig.registered_capital": "1", "decl.online_payment": "yes"}


def test_sign_in_follows_only_paths_on_this_site():
    assert local_path("/apply/") == "/apply/"
    for outside in ("https://evil.example/", "//evil.example/", "/\\evil.example", "", None):
        assert local_path(outside) is None
