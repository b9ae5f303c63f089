"""The stage kinds the engine knows, the service that runs each, and the orders a program may put them in."""
from __future__ import annotations

from dataclasses import dataclass

Problems = list[tuple[tuple, str]]


@dataclass(frozen=True)
class StageKind:
    name: str
    service: str
    label: str
    needs: tuple[str, ...] = ()       # sections of the program file this kind reads
    after: tuple[str, ...] = ()       # at least one of these must come earlier (empty: may open a program)
    opens: bool = False               # may be a program's first stage


def _kinds(*kinds: StageKind) -> dict[str, StageKind]:
    return {k.name: k for k in kinds}


# A new kind is code (here, and in the service that runs it); a new program or order is data.
# Kinds are listed only once a service runs them (a program naming any other is refused); each
# kind's file section is in schema.py or sections.py.
KINDS = _kinds(
    StageKind("intake_with_quota", "applications", "申报与市(州)推荐（限额）",
              needs=("criteria", "quotas"), opens=True),
    StageKind("expert_review", "review", "专家评审", needs=("review",), after=("intake_with_quota",)),
    StageKind("public_notice", "review", "公示", needs=("notice",), after=("expert_review",)),
    StageKind("award", "registry", "授牌", after=("public_notice", "joint_approval")),
    StageKind("grading", "registry", "等级评定", needs=("grading",), after=("award",)),
    StageKind("periodic_report", "registry", "定期报送统计报表", after=("award",)),
    StageKind("re_review", "review", "定期复核", needs=("review", "rereview_years"), after=("periodic_report",)),
    StageKind("grant", "registry", "资金补助", needs=("grants",), opens=True),
    # the national demonstration cities (seed 004, ADR 42)
    StageKind("plan_revision", "review", "创建方案研究提出、讨论修改、正式受理", needs=("plan_revision",), opens=True),
    StageKind("joint_approval", "review", "多部门联合批复、分批确定", needs=("joint_approval",),
              after=("plan_revision",)),
    StageKind("annual_assessment", "registry", "年度考核与表彰", needs=("assessment",), after=("award",)),
)


def check_stages(doc: dict) -> Problems:
    """Every kind known, none twice, each after a stage it needs, and the sections it reads present."""
    stages = doc["stages"]
    problems: Problems = []
    seen: list[str] = []
    for i, name in enumerate(stages):
        path = ("stages", i)
        kind = KINDS.get(name)
        if kind is None:
            problems.append((path, f"unknown stage kind {name!r}; known: {', '.join(KINDS)}"))
            continue
        if name in seen:
            problems.append((path, f"stage {name!r} is declared twice"))
        if not seen and not kind.opens:
            problems.append((path, f"a program cannot open with {name!r}; it opens with one of "
                                   f"{', '.join(k.name for k in KINDS.values() if k.opens)}"))
        if seen and kind.after and not set(kind.after) & set(seen):
            problems.append((path, f"{name!r} needs one of {', '.join(kind.after)} before it"))
        for section in kind.needs:
            if doc.get(section) is None:
                problems.append(((section,), f"stage {name!r} needs the section `{section}`"))
        seen.append(name)
    if not stages:
        problems.append((("stages",), "a program declares at least one stage"))
    return list(dict.fromkeys(problems))
