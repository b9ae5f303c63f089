"""Turns a program file into a Program: the schema first, then every cross-reference checked."""
from __future__ import annotations

import hashlib

from marshmallow import ValidationError

from shared.programs.checks import check_references
from shared.programs.model import (AmountRule, Band, Criterion, FieldSpec, Grading, Grants, Quotas, Review,
                                   Scheme, ScoringItem, ShareTarget, Subtype, UnitType, Variant)
from shared.programs.program import Program
from shared.programs.schema import ProgramFileSchema
from shared.programs.source import Source, flatten


def build_program(source: Source) -> Program:
    if not isinstance(source.document, dict):
        raise source.error([((), "a program file is a mapping of settings")])
    try:
        doc = ProgramFileSchema().load(source.document)
    except ValidationError as exc:
        raise source.error(flatten(exc.messages)) from None
    problems = check_references(doc)
    if problems:
        raise source.error(problems)
    return _program(doc, source)


def _program(doc: dict, source: Source) -> Program:
    quotas, review = doc["quotas"], doc["review"]
    return Program(
        id=doc["id"], name=doc["name"], version=hashlib.sha256(source.raw).hexdigest()[:16],
        version_label=doc["version_label"], path=source.path, certificate_prefix=doc["certificate_prefix"],
        province_code=doc["province"]["code"], province_name=doc["province"]["name"],
        cities={code: city["name"] for code, city in doc["cities"].items()},
        other_cities_name=doc["other_cities_name"], title=dict(doc["title"]),
        fields={name: FieldSpec(name=name, **spec) for name, spec in doc["fields"].items()},
        declarations=dict(doc["declarations"]),
        types={name: _unit_type(name, spec) for name, spec in doc["unit_types"].items()},
        criteria={t: {scope: tuple(_criterion(c, doc["declarations"]) for c in items)
                      for scope, items in scopes.items()} for t, scopes in (doc["criteria"] or {}).items()},
        quotas=None if quotas is None else Quotas(
            per_recommender=dict(quotas["per_recommender"]),
            exempt_recommenders=tuple(quotas["exempt_recommenders"]),
            provincial_unit_types=tuple(quotas["provincial_level"]["unit_types"]),
            provincial_recommender=quotas["provincial_level"]["recommender"]),
        targets=dict(doc["targets"]),
        review=None if review is None else Review(
            experts_per_application=review["experts_per_application"], pass_mark=review["pass_mark"],
            scoring={t: tuple(ScoringItem(**item) for item in items) for t, items in review["scoring"].items()}),
        notice_working_days=doc["notice"]["working_days"] if doc["notice"] else None,
        rereview_years=doc["rereview_years"], stages=tuple(doc["stages"]),
        grading=_grading(doc["grading"]), grants=_grants(doc["grants"]),
        plan_revision=doc["plan_revision"], joint_approval=doc["joint_approval"], assessment=doc["assessment"])


def _grading(spec: dict | None) -> Grading | None:
    if spec is None:
        return None
    return Grading(bands=tuple(Band(**b) for b in spec["bands"]),
                   targets={t: ShareTarget(**target) for t, target in spec["targets"].items()})


def _grants(spec: dict | None) -> Grants | None:
    if spec is None:
        return None
    return Grants(budget_per_year=spec["budget_per_year"],
                  schemes={name: Scheme(id=name, label=s["label"], source=s["source"], once_per=s["once_per"],
                                        amount=AmountRule(**s["amount"]), holders_only=s["holders_only"])
                           for name, s in spec["schemes"].items()})


def _unit_type(name: str, spec: dict) -> UnitType:
    subtypes = {s: Subtype(name=s, label=sub["name"], figures=tuple(sub["figures"]),
                           declarations=tuple(sub["declarations"]), title=sub.get("title"))
                for s, sub in spec["subtypes"].items()}
    return UnitType(name=name, label=spec["name"], figures=tuple(spec["figures"]),
                    declarations=tuple(spec["declarations"]), subtypes=subtypes)


def _criterion(item: dict, declarations: dict) -> Criterion:
    if "variants" in item:
        return Criterion(id=item["id"], rule=item["rule"], source=item["source"],
                         variants=tuple(Variant(city=v["city"], rule=v["rule"], test=v["test"])
                                        for v in item["variants"]))
    rule = item.get("rule") or declarations[item["declaration"]]
    return Criterion(id=item["id"], rule=rule, source=item["source"], test=item["test"])


