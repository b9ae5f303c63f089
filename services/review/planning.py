"""The review service's commands and queries on city plans and batches (the `plan_revision` and
`joint_approval` stages, ADR 42). Mixed into ReviewApp."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from shared.errors import Conflict, InvalidInput, guarded
from shared.programs import Program, load_program

from services.review.domain import WrongState
from services.review.plans import Batch, CityPlan


class Planning:
    """City plans from proposal to joint approval, and the batches that confirm their cities."""

    def propose_plan(self, program_id: str, city_name: str, region_code: str, credit_code: str, text: str,
                     today: date) -> CityPlan:
        program = _program_with(program_id, "plan_revision")
        if self.exists(CityPlan.create_id(program.id, credit_code)):
            raise Conflict(f"{credit_code} has already proposed its plan in {program.id}; it revises that one")
        plan = CityPlan(program_id=program.id, program_version=program.version, city_name=city_name,
                        region_code=region_code, credit_code=credit_code, text=text, proposed_on=today,
                        max_rounds=program.plan_revision.get("max_rounds"))
        self.save(plan)
        return plan

    def give_opinion(self, plan_id: UUID, opinion: str, by: str, today: date) -> CityPlan:
        return self._change(plan_id, lambda plan: plan.give_opinion(opinion, by, today))

    def revise_plan(self, plan_id: UUID, text: str, today: date) -> CityPlan:
        return self._change(plan_id, lambda plan: plan.revise(text, today))

    def accept_plan(self, plan_id: UUID, opinion: str, by: str, today: date) -> CityPlan:
        """Formal acceptance; the approvers are those the program file names now."""
        plan = self.plan(plan_id)
        approvers = list(load_program(plan.program_id).approvers)
        return self._change(plan_id, lambda p: p.accept(opinion, by, approvers, today), plan)

    def approve_plan(self, plan_id: UUID, approver: str, today: date) -> CityPlan:
        return self._change(plan_id, lambda plan: plan.approve(approver, today))

    def send_back_plan(self, plan_id: UUID, approver: str, reasons: list[str], today: date) -> CityPlan:
        return self._change(plan_id, lambda plan: plan.send_back(approver, reasons, today))

    def approve_batch(self, program_id: str, label: str, plan_ids: list[UUID], by: str, today: date) -> Batch:
        """Confirms the cities of jointly approved plans as one batch: the batch and every plan in one
        transaction, so a plan is in one batch only and a refusal writes nothing."""
        program = _program_with(program_id, "joint_approval")
        if self.exists(Batch.create_id(program.id, label)):
            raise Conflict(f"{program.id} already has a batch {label!r}", {"label": ["already used"]})
        plans, unknown = [], []
        for plan_id in dict.fromkeys(plan_ids):
            if self.exists(plan_id) and isinstance(plan := self.repository.get(plan_id), CityPlan) \
                    and plan.program_id == program.id:
                plans.append(plan)
            else:
                unknown.append(str(plan_id))
        if unknown:
            raise InvalidInput("a batch lists plans of its program", {"plan_ids": [f"no plan {i} in {program.id}"
                                                                                  for i in unknown]})
        batch = Batch(program_id=program.id, label=label, approved_on=today, by=by, cities=[
            {"plan_id": p.id, "city_name": p.city_name, "region_code": p.region_code, "credit_code": p.credit_code}
            for p in plans])
        for plan in plans:
            _guard(lambda: plan.include_in_batch(batch.id, today))
        self.save(batch, *plans)
        return batch

    # -- reads ----------------------------------------------------------------------------------
    def plan(self, plan_id: UUID) -> CityPlan:
        return self.get(plan_id, CityPlan, "plan")

    def plans(self, program_id: str | None = None, credit_code: str | None = None) -> list[CityPlan]:
        found = [self.plan(i) for i in self.ids_with_events(CityPlan.Proposed)]
        return [p for p in found if program_id in (None, p.program_id) and credit_code in (None, p.credit_code)]

    def batch(self, batch_id: UUID) -> Batch:
        return self.get(batch_id, Batch, "batch")

    def _change(self, plan_id: UUID, command, plan: CityPlan | None = None) -> CityPlan:
        plan = plan or self.plan(plan_id)
        _guard(lambda: command(plan))
        self.save(plan)
        return plan


def _program_with(program_id: str, stage: str) -> Program:
    try:
        program = load_program(program_id)
    except LookupError:
        raise InvalidInput("unknown program", {"program_id": [f"no program {program_id!r}"]}) from None
    if not program.has_stage(stage):
        raise InvalidInput(f"{program.id} has no stage {stage}",
                           {"program_id": [f"{program.id} has no {stage} among its stages ({', '.join(program.stages)})"]})
    return program


def _guard(command) -> None:
    guarded(command, WrongState)
