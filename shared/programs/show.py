"""A program's rules as text for people: `shifan program show ID`."""
from __future__ import annotations

from shared.programs.model import COMMON
from shared.programs.program import Program
from shared.programs.text import describe


def render_program(program: Program) -> str:
    p = program
    cities = "; ".join(f"{code} {name}" for code, name in p.cities.items()) or "none"
    lines = [f"{p.name} [{p.id}]",
             f"version {p.version} ({p.version_label}) · file {p.path.name}",
             f"certificate prefix {p.certificate_prefix} · province {p.province_code} {p.province_name}",
             f"cities with thresholds of their own: {cities}; every other city: {p.other_cities_name} (other)",
             f"stages: {' -> '.join(p.stages)}",
             "", "UNIT TYPES"]
    for name, unit in p.types.items():
        lines.append(f"  {name} {unit.label}: title {p.title.get(name, '-')} · target {p.targets.get(name, '-')}")
        for scope in list(unit.subtypes) or [None]:
            label = f"{scope} {unit.subtypes[scope].label}" if scope else "(no subtypes)"
            figures = ", ".join(f"{f.name} ({f.kind})" for f in p.required_fields(name, scope))
            lines += [f"    {label}", f"      figures: {figures}",
                      f"      declarations: {', '.join(p.required_declarations(name, scope))}"]
    lines += ["", "FIGURES"] + [f"  {f.name:<36} {f.kind:<15} {f.label}"
                                 + (f" (at least {f.min_years} years)" if f.min_years else "")
                                 for f in p.fields.values()]
    lines += ["", "CRITERIA"]
    for name, scopes in p.criteria.items():
        for scope, criteria in scopes.items():
            lines.append(f"  {name}" + ("" if not p.types[name].subtypes else
                                          " · every subtype" if scope == COMMON else f" · {scope}"))
            for c in criteria:
                lines.append(f"    {c.id} ({c.source}): {c.rule}")
                if c.test and c.test.op != "declared":
                    lines.append(f"        {describe(p, c.test)}")
                for v in c.variants:
                    lines.append(f"        {p.city_name(v.city)} ({v.city}): {v.rule}")
                    lines.append(f"            {describe(p, v.test)}")
    lines += _cities(p)
    q = p.quotas
    if q is None:  # a program without intake, review and notice (grants, or the national cities)
        return "\n".join(lines)
    quotas = ", ".join(f"{t} {n}" for t, n in q.per_recommender.items())
    exempt = ", ".join(f"{c} {p.city_name(c)}" for c in q.exempt_recommenders) or "none"
    lines += ["", "QUOTAS (per recommending authority per round, in principle)",
              f"  {quotas}",
              f"  exempt: {exempt} (and every department within it)",
              f"  provincial-level {', '.join(q.provincial_unit_types)} apply to {q.provincial_recommender}"
              " directly; counted against no city's quota",
              "", "TARGETS", "  " + ", ".join(f"{t} {n}" for t, n in p.targets.items()),
              "", "REVIEW AND NOTICE",
              f"  {p.experts_per_application} expert(s) per application · pass mark {p.pass_mark}",
              f"  public notice {p.notice_working_days} working days · re-review every {p.rereview_years} years"]
    for name, items in p.review.scoring.items():
        lines.append(f"  scoring {name}: " + ", ".join(f"{i.label} {i.weight}" for i in items))
    return "\n".join(lines)


def _cities(p: Program) -> list[str]:
    """The national cities' sections (ADR 42), when the program has them."""
    lines = []
    if p.plan_revision:
        rounds = p.plan_revision.get("max_rounds") or "as many as needed"
        lines += ["", "PLAN REVISION", f"  by {p.plan_revision['coordinator']} · rounds: {rounds}"]
    if p.joint_approval:
        lines += ["", "JOINT APPROVAL (every approver approves; any sends back)"]
        lines += [f"  {key:<10} {name}" for key, name in p.approvers.items()]
    if p.assessment:
        lines += ["", "ANNUAL ASSESSMENT", f"  results: {', '.join(p.assessment['results'])}"
                  f" · commendable: {', '.join(p.assessment['commendable'])}"]
    return lines
