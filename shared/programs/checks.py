"""Cross-references of a loaded program file: every name a criterion uses exists where it is used."""
from __future__ import annotations

from decimal import Decimal

from shared.programs.amounts import plain
from shared.programs.model import COMMON, OTHER, SCALAR_KINDS, SERIES_KINDS, Test
from shared.programs.stages import check_stages

Problems = list[tuple[tuple, str]]
WHOLE_KINDS = ("money_yuan", "count")
SCALAR_OPS, SERIES_OPS = ("at_least", "greater_than", "share_at_least"), (
    "each_year_at_least", "growth_each_year_at_least", "increasing_each_year")


def check_references(doc: dict) -> Problems:
    problems: Problems = []
    types = doc["unit_types"]
    for name, spec in doc["fields"].items():
        series = spec["kind"] in SERIES_KINDS
        if series and "min_years" not in spec:
            problems.append((("fields", name, "min_years"), "a series needs min_years"))
        if not series and "min_years" in spec:
            problems.append((("fields", name, "min_years"), f"only series take min_years, not {spec['kind']}"))
    for t, spec in types.items():
        problems += _names(doc, ("unit_types", t), spec)
        for s, sub in spec["subtypes"].items():
            problems += _names(doc, ("unit_types", t, "subtypes", s), sub)
    problems += check_stages(doc)
    if "award" in doc["stages"]:
        problems += _same_keys(doc["title"], types, ("title",))
    problems += [(("targets", k), f"unknown unit type {k!r}") for k in doc["targets"] if k not in types]
    if doc["quotas"] is not None:
        problems += _same_keys(doc["quotas"]["per_recommender"], types, ("quotas", "per_recommender"))
        for i, t in enumerate(doc["quotas"]["provincial_level"]["unit_types"]):
            if t not in types:
                problems.append((("quotas", "provincial_level", "unit_types", i), f"unknown unit type {t!r}"))
    if doc["criteria"] is not None:
        problems += _same_keys(doc["criteria"], types, ("criteria",))
        for t, scopes in doc["criteria"].items():
            if t in types:
                problems += _criteria(doc, t, scopes)
    if doc["review"] is not None:
        for t, items in doc["review"]["scoring"].items():
            path = ("review", "scoring", t)
            if t not in types:
                problems.append((path, f"unknown unit type {t!r}"))
            if sum(item["weight"] for item in items) != 100:
                problems.append((path, f"weights sum to {sum(item['weight'] for item in items)}, not 100"))
    if doc["grading"] is not None:
        problems += _grading(doc)
    problems += _cities(doc)
    return problems


def _cities(doc: dict) -> Problems:
    """The national-city sections (ADR 42): at least one approver; commendable results are results."""
    problems: Problems = []
    if doc["joint_approval"] is not None and not doc["joint_approval"]["approvers"]:
        problems.append((("joint_approval", "approvers"), "a joint approval names at least one approver"))
    if doc["joint_approval"] is not None and len(doc["unit_types"]) != 1:
        problems.append((("unit_types",), "a program with a joint approval has one unit type (its batches name none)"))
    if doc["assessment"] is not None:
        results = doc["assessment"]["results"]
        problems += [(("assessment", "commendable", i), f"{r!r} is not one of the results {results}")
                     for i, r in enumerate(doc["assessment"]["commendable"]) if r not in results]
        if len(set(results)) != len(results):
            problems.append((("assessment", "results"), "a result is listed twice"))
    return problems


def _grading(doc: dict) -> Problems:
    grades = [b["grade"] for b in doc["grading"]["bands"]]
    problems = [(("grading", "targets", t), f"unknown unit type {t!r}")
                for t in doc["grading"]["targets"] if t not in doc["unit_types"]]
    problems += [(("grading", "targets", t, "grade"), f"{target['grade']!r} is not one of the bands {grades}")
                 for t, target in doc["grading"]["targets"].items() if target["grade"] not in grades]
    if doc["review"] is not None and doc["grading"]["bands"][-1]["min_score"] != doc["review"]["pass_mark"]:
        problems.append((("grading", "bands"), f"the lowest band starts at the pass mark "
                                               f"({doc['review']['pass_mark']}): a unit that passes gets a grade"))
    return problems


def _names(doc: dict, path: tuple, spec: dict) -> Problems:
    problems = [(path + ("figures", i), f"unknown field {f!r} (not in `fields`)")
                for i, f in enumerate(spec["figures"]) if f not in doc["fields"]]
    return problems + [(path + ("declarations", i), f"unknown declaration {d!r} (not in `declarations`)")
                       for i, d in enumerate(spec["declarations"]) if d not in doc["declarations"]]


def _same_keys(mapping: dict, types: dict, path: tuple) -> Problems:
    return ([(path + (k,), f"unknown unit type {k!r}") for k in mapping if k not in types]
            + [(path, f"missing unit type {t!r}") for t in types if t not in mapping])


def _criteria(doc: dict, t: str, scopes: dict) -> Problems:
    unit = doc["unit_types"][t]
    subtypes = unit["subtypes"]
    problems = [(("criteria", t, scope), f"unknown subtype {scope!r} of {t!r} (or `{COMMON}`)")
                for scope in scopes if scope != COMMON and scope not in subtypes]
    own = (set(unit["figures"]), set(unit["declarations"]))
    for scope, items in scopes.items():
        sub = subtypes.get(scope, {"figures": [], "declarations": []})
        allowed = (own[0] | set(sub["figures"]), own[1] | set(sub["declarations"]))
        for i, item in enumerate(items):
            problems += _criterion(doc, ("criteria", t, scope, i), item, allowed)
    for subtype in (list(subtypes) or [COMMON]):
        placed = [(COMMON, i, c["id"]) for i, c in enumerate(scopes.get(COMMON, []))]
        if subtype != COMMON:
            placed += [(subtype, i, c["id"]) for i, c in enumerate(scopes.get(subtype, []))]
        if not placed:
            problems.append((("criteria", t), f"no criteria for {subtype!r}"))
        seen = set()
        for scope, i, ident in placed:
            if ident in seen:
                problems.append((("criteria", t, scope, i, "id"), f"criterion id {ident!r} is used twice for {subtype!r}"))
            seen.add(ident)
    return list(dict.fromkeys(problems))


def _criterion(doc: dict, path: tuple, item: dict, allowed) -> Problems:
    if "variants" not in item:
        return _test(doc, path, item["test"], allowed)
    problems, cities = [], [v["city"] for v in item["variants"]]
    for j, variant in enumerate(item["variants"]):
        vpath = path + ("variants", j)
        if variant["city"] != OTHER and variant["city"] not in doc["cities"]:
            problems.append((vpath + ("city",), f"unknown city {variant['city']!r}: name it in `cities` or use 'other'"))
        if cities.count(variant["city"]) > 1:
            problems.append((vpath + ("city",), f"city {variant['city']!r} has two variants"))
        problems += _test(doc, vpath, variant["test"], allowed)
    if OTHER not in cities:
        problems.append((path + ("variants",), "needs an 'other' variant for every other city"))
    return problems


def _test(doc: dict, path: tuple, test: Test, allowed) -> Problems:
    figures, declarations = allowed
    if test.op in ("any_of", "all_of"):
        return [p for k, b in enumerate(test.branches) for p in _test(doc, path + ("branches", k), b, allowed)]
    if test.op == "declared":
        if test.declaration not in declarations:
            return [(path + ("declaration",), f"{test.declaration!r} is not a declaration this unit makes")]
        return []
    problems = []
    for key in ("field", "of"):
        name = getattr(test, key)
        if name is None:
            continue
        if name not in figures:
            problems.append((path + (key,), f"{name!r} is not a figure this unit must carry"))
            continue
        kind = doc["fields"][name]["kind"]
        if test.op in SCALAR_OPS and kind not in SCALAR_KINDS:
            problems.append((path + (key,), f"{test.op} needs a single figure; {name!r} is a {kind}"))
        if test.op in SERIES_OPS and kind not in SERIES_KINDS:
            problems.append((path + (key,), f"{test.op} needs a yearly series; {name!r} is a {kind}"))
    if problems:
        return problems
    kind = SERIES_KINDS.get(doc["fields"][test.field]["kind"], doc["fields"][test.field]["kind"])
    if test.of is not None and doc["fields"][test.of]["kind"] != doc["fields"][test.field]["kind"]:
        problems.append((path + ("of",), f"a share compares figures of one kind: {test.field!r} and {test.of!r} differ"))
    if test.threshold is not None:
        problems += _threshold(path + ("threshold",), test.threshold, kind)
    if test.percent is not None and test.op == "share_at_least" and test.percent > 100:
        problems.append((path + ("percent",), f"a share is at most 100 percent, not {test.percent}"))
    return problems


def _threshold(path: tuple, value: int | Decimal, kind: str) -> Problems:
    if kind in WHOLE_KINDS and not isinstance(value, int):
        unit = "yuan" if kind == "money_yuan" else "units"
        return [(path, f"must be a whole number of {unit} for a {kind} figure, not {plain(value)}")]
    if kind == "percent" and value > 100:
        return [(path, f"a percent is at most 100, not {plain(value)}")]
    return []
