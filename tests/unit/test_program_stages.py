"""Stages as data: a program declares its sequence of stage kinds; the loader refuses unknown kinds,
incoherent orders and missing sections, and names the line."""
from __future__ import annotations

import shutil

import pytest

from shared.programs import PROGRAMS_DIR, ProgramError, load_program
from shared.programs.stages import KINDS

SICHUAN = "sichuan-ecommerce-demo"
SICHUAN_STAGES = "stages: [intake_with_quota, expert_review, public_notice, award, periodic_report, re_review]"


@pytest.fixture
def sichuan_copy(tmp_path):
    path = tmp_path / "variant.yaml"
    shutil.copy(PROGRAMS_DIR / f"{SICHUAN}.yaml", path)
    return tmp_path, path


def with_stages(path, stages: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    number = lines.index(SICHUAN_STAGES)
    lines[number] = f"stages: {stages}"
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def test_sichuan_declares_its_six_stages_explicitly():
    program = load_program(SICHUAN)
    assert program.stages == ("intake_with_quota", "expert_review", "public_notice", "award",
                              "periodic_report", "re_review")
    assert program.next_stage("public_notice") == "award"
    assert program.next_stage("re_review") is None and program.next_stage("grading") is None
    assert program.has_stage("periodic_report") and not program.has_stage("grant")


def test_every_program_file_loads_and_uses_only_known_kinds():
    for path in sorted(PROGRAMS_DIR.glob("*.yaml")):
        program = load_program(path.stem)
        assert set(program.stages) <= set(KINDS), path.name


def test_an_unknown_stage_kind_is_refused_naming_the_line(sichuan_copy):
    directory, path = sichuan_copy
    line = with_stages(path, "[intake_with_quota, expert_review, lottery, public_notice, award]")
    with pytest.raises(ProgramError) as error:
        load_program("variant", directory)
    assert f"line {line}: stages[2]: unknown stage kind 'lottery'" in str(error.value)


@pytest.mark.parametrize("stages, problem", [
    ("[expert_review, intake_with_quota, public_notice, award]", "stages[0]: a program cannot open with 'expert_review'"),
    ("[intake_with_quota, award, expert_review, public_notice]", "stages[1]: 'award' needs one of public_notice, joint_approval before it"),
    ("[intake_with_quota, expert_review, public_notice, award, re_review]", "stages[4]: 're_review' needs one of periodic_report"),
    ("[intake_with_quota, expert_review, expert_review, public_notice, award]", "stages[2]: stage 'expert_review' is declared twice"),
    ("[]", "stages: a program declares at least one stage"),
])
def test_an_incoherent_sequence_is_refused(sichuan_copy, stages, problem):
    directory, path = sichuan_copy
    with_stages(path, stages)
    with pytest.raises(ProgramError) as error:
        load_program("variant", directory)
    assert problem in str(error.value)


def test_a_stage_whose_section_is_missing_is_refused(sichuan_copy):
    directory, path = sichuan_copy
    with_stages(path, "[intake_with_quota, expert_review, public_notice, award, grant]")
    with pytest.raises(ProgramError) as error:
        load_program("variant", directory)
    assert "grants: stage 'grant' needs the section `grants`" in str(error.value)


def test_grading_needs_its_section_and_an_award_before_it(sichuan_copy):
    directory, path = sichuan_copy
    with_stages(path, "[intake_with_quota, expert_review, public_notice, grading]")
    with pytest.raises(ProgramError) as error:
        load_program("variant", directory)
    assert "'grading' needs one of award before it" in str(error.value)
    assert "stage 'grading' needs the section `grading`" in str(error.value)


@pytest.mark.parametrize("planned", ["effect_evaluation", "standard_pilot"])  # made-up kinds
def test_a_kind_no_service_runs_yet_is_refused(sichuan_copy, planned):
    directory, path = sichuan_copy
    with_stages(path, f"[intake_with_quota, expert_review, public_notice, award, {planned}]")
    with pytest.raises(ProgramError) as error:
        load_program("variant", directory)
    assert f"unknown stage kind {planned!r}" in str(error.value)


def test_a_shorter_sequence_is_data_and_loads(sichuan_copy):
    directory, path = sichuan_copy
    with_stages(path, "[intake_with_quota, expert_review, public_notice, award]")
    program = load_program("variant", directory)
    assert program.next_stage("award") is None and not program.has_stage("re_review")
