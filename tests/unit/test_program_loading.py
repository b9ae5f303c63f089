"""Program files: the settings other services read, the content-hash version, and load errors."""
from __future__ import annotations

import hashlib
import re
import shutil

import pytest

from shared.programs import PROGRAMS_DIR, ProgramError, load_program

SICHUAN = "sichuan-ecommerce-demo"


@pytest.fixture
def copy(tmp_path):
    """A copy of the Sichuan file in tmp_path, to corrupt; returns (directory, path)."""
    path = tmp_path / "broken.yaml"
    shutil.copy(PROGRAMS_DIR / f"{SICHUAN}.yaml", path)
    return tmp_path, path


def replace_line(path, old: str, new: str) -> int:
    """Replaces the one line that equals `old` (stripped); returns its 1-based number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    numbers = [i for i, line in enumerate(lines) if line.strip() == old]
    assert len(numbers) >= 1, old
    indent = lines[numbers[0]][: len(lines[numbers[0]]) - len(lines[numbers[0]].lstrip())]
    lines[numbers[0]] = indent + new
    path.write_text("\n".join(lines), encoding="utf-8")
    return numbers[0] + 1


def test_the_sichuan_program_keeps_the_settings_other_services_read():
    program = load_program(SICHUAN)
    assert program.id == SICHUAN and program.certificate_prefix == "SCDS"
    assert program.title["enterprise"] == "四川省电子商务示范企业"
    assert program.title["base"] == "四川省电子商务示范基地"
    assert program.title["rural_county"] == "四川省农村电子商务示范县(市、区)"
    assert (program.experts_per_application, program.pass_mark) == (1, 60)
    assert (program.notice_working_days, program.rereview_years) == (10, 2)
    assert program.targets == {"enterprise": 50, "base": 20, "rural_county": 15}
    assert program.unit_types == {"enterprise": ["b2b_platform", "b2c_platform", "service_enterprise",
                                                 "traditional_enterprise"], "base": [], "rural_county": []}


def test_the_version_is_the_first_16_hex_digits_of_the_files_sha256():
    raw = (PROGRAMS_DIR / f"{SICHUAN}.yaml").read_bytes()
    assert load_program(SICHUAN).version == hashlib.sha256(raw).hexdigest()[:16]


def test_the_version_changes_when_the_files_bytes_change(copy):
    directory, path = copy
    before = load_program("broken", directory)
    assert load_program("broken", directory) is before  # cached while the file is unchanged
    path.write_bytes(path.read_bytes() + "# 一处注释也是新版本\n".encode())
    after = load_program("broken", directory)
    assert after.version != before.version
    assert after.version == hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def test_a_missing_program_is_a_lookup_error(tmp_path):
    with pytest.raises(LookupError, match="no program 'nowhere'"):
        load_program("nowhere", tmp_path)


def test_money_shorthands_become_exact_yuan():
    program = load_program(SICHUAN)
    scale = next(c for c in program.criteria_for("enterprise", "b2b_platform") if c.id == "scale")
    thresholds = {v.city: [b.threshold for b in v.test.branches] for v in scale.variants}
    assert thresholds == {"510100": [5_000_000, 500_000_000], "other": [3_000_000, 300_000_000]}
    assert all(type(t) is int for ts in thresholds.values() for t in ts)


def test_a_fractional_shorthand_is_exact_and_refused_when_not_whole_yuan(copy):
    directory, path = copy
    replace_line(path, "threshold: 1000", "threshold: 0.1万")  # registered enterprises: 1000 either way
    program = load_program("broken", directory)
    assert program.criteria_for("enterprise", "b2b_platform")[-1].test.threshold == 1000
    line = replace_line(path, "threshold: 0.1万", "threshold: 0.00001万")
    with pytest.raises(ProgramError, match=rf"line {line}: criteria.enterprise.b2b_platform\[2\].threshold: "
                                           r"must be a whole number"):
        load_program("broken", directory)


def test_a_yaml_syntax_error_names_the_file_line_and_column(copy):
    directory, path = copy
    line = replace_line(path, "pass_mark: 60", "pass_mark: [60")
    with pytest.raises(ProgramError) as caught:
        load_program("broken", directory)
    message = str(caught.value)
    assert message.startswith(f"{path}: line ") and re.search(r": line \d+, column \d+: YAML syntax error", message)
    assert f"it began at line {line}, column 14" in message


def test_a_tab_indent_is_reported_with_its_line(copy):
    directory, path = copy
    line = replace_line(path, "rereview_years: 2              # 每两年复核一次", "\trereview_years: 2")
    with pytest.raises(ProgramError, match=rf"broken.yaml: line {line}, column \d+: YAML syntax error"):
        load_program("broken", directory)


def test_a_negative_threshold_names_the_path_and_line(copy):
    directory, path = copy
    line = replace_line(path, "threshold: 1000", "threshold: -1000")
    with pytest.raises(ProgramError) as caught:
        load_program("broken", directory)
    assert str(caught.value) == (f"{path}: line {line}: criteria.enterprise.b2b_platform[2].threshold: "
                                 "must not be negative (got -1000)")


def test_an_unknown_operator_names_the_path_and_line(copy):
    directory, path = copy
    line = replace_line(path, "op: greater_than", "op: bigger_than")
    with pytest.raises(ProgramError) as caught:
        load_program("broken", directory)
    assert f"{path}: line {line}: criteria.base.common[2].op: unknown operator 'bigger_than'" in str(caught.value)


def test_an_unknown_key_is_refused(copy):
    directory, path = copy
    line = replace_line(path, "pass_mark: 60", "passmark: 60")
    with pytest.raises(ProgramError) as caught:
        load_program("broken", directory)
    assert f"line {line}: review.passmark: Unknown field." in str(caught.value)
    assert "review.pass_mark: Missing data for required field." in str(caught.value)


def test_a_float_threshold_for_money_is_refused(copy):
    directory, path = copy
    line = replace_line(path, "threshold: 200万", "threshold: 2000000.5")
    with pytest.raises(ProgramError, match=rf"line {line}: criteria.enterprise.b2b_platform\[0\].threshold: "
                                           r"must be a whole number of yuan"):
        load_program("broken", directory)


def test_a_criterion_on_a_figure_the_unit_does_not_carry_is_refused(copy):
    directory, path = copy
    line = replace_line(path, "field: registered_enterprises", "field: platform_sales")
    with pytest.raises(ProgramError, match=rf"line {line}: criteria.enterprise.b2b_platform\[2\].field: "
                                           r"'platform_sales' is not a figure this unit must carry"):
        load_program("broken", directory)


def test_a_variant_for_an_unknown_city_is_refused(copy):
    directory, path = copy
    text = path.read_text(encoding="utf-8").replace('- city: "510100"', '- city: "510800"', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProgramError, match=r"criteria.enterprise.b2b_platform\[1\].variants\[0\].city: "
                                           r"unknown city '510800'"):
        load_program("broken", directory)


def test_scoring_weights_must_sum_to_100(copy):
    directory, path = copy
    replace_line(path, "- {id: integrity, label: 经营规范诚信守法（附件2 第6条）, weight: 10}",
                 "- {id: integrity, label: 经营规范诚信守法（附件2 第6条）, weight: 11}")
    with pytest.raises(ProgramError, match=r"review.scoring.base: weights sum to 101, not 100"):
        load_program("broken", directory)


def test_the_b2c_standard_notes_the_missing_item_3_of_the_seed():
    text = (PROGRAMS_DIR / f"{SICHUAN}.yaml").read_text(encoding="utf-8")
    assert "item (3) is missing" in text
