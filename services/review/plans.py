"""The CityPlan and Batch aggregates (seed 004, ADR 42): a city government's creation plan
(创建方案) from proposal through the coordination group's revision opinions and formal acceptance
to the joint approval of every approver the program names; and a batch of jointly approved cities.

A plan's rounds keep every opinion and every revised text in order; a ministry sending the plan
back opens a round like an opinion does. Approvals are of the accepted text: a plan sent back is
revised and accepted again, and then needs every approval afresh (方案审理的过程是不断完善的过程).
"""
from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from services.review.domain import WrongState

PROPOSED = "proposed"   # 研究提出: the city's first text awaits the coordination group
REVISING = "revising"   # 讨论修改: an opinion (or a send-back) awaits the city's revision
REVISED = "revised"     # the city revised: the group gives another opinion or accepts
ACCEPTED = "accepted"   # 正式受理: the approvers decide
APPROVED = "approved"   # every approver approved: the plan may go into a batch
BATCHED = "batched"     # its city is confirmed in a batch (the registry certifies it)

_NS = uuid5(NAMESPACE_URL, "https://shifan.example/review/plans")


class CityPlan(Aggregate):
    """One city's creation plan in one program: one per city government (credit code) and program."""

    @staticmethod
    def create_id(program_id: str, credit_code: str, **_) -> UUID:
        return uuid5(_NS, f"plan/{program_id}/{credit_code}")

    @event("Proposed")
    def __init__(self, program_id: str, program_version: str, city_name: str, region_code: str,
                 credit_code: str, text: str, proposed_on: date, max_rounds: int | None = None):
        self.program_id = program_id
        self.program_version = program_version
        self.city_name = city_name
        self.region_code = region_code
        self.credit_code = credit_code
        self.max_rounds = max_rounds
        self.status = PROPOSED
        self.proposed_on = proposed_on
        self.versions = [{"version": 0, "text": text, "on": proposed_on}]  # every text, never replaced
        self.rounds: list[dict] = []      # {"round", "kind", "by", "opinion", "given_on", "revised_on", "version"}
        self.acceptances: list[dict] = []  # {"version", "opinion", "by", "on", "approvers"}
        self.approvers: list[str] = []    # of the current acceptance
        self.approvals: dict[str, date] = {}
        self.batch_id: UUID | None = None

    @property
    def text_version(self) -> int:
        """The number of the current text: 0 as proposed, then one more per revision."""
        return self.versions[-1]["version"]

    @property
    def remaining(self) -> list[str]:
        return [a for a in self.approvers if a not in self.approvals]

    # -- the coordination group and the city ---------------------------------------------------
    def give_opinion(self, opinion: str, by: str, today: date) -> None:
        """The coordination group's revision opinion on the current text: a new round."""
        self._require((PROPOSED, REVISED), "given a revision opinion")
        if self.max_rounds is not None and len(self.rounds) >= self.max_rounds:
            raise WrongState(f"plan {self.id} has had its {self.max_rounds} rounds of revision")
        self._opinion_given(round=len(self.rounds) + 1, opinion=opinion, by=by, given_on=today,
                            version=self.text_version, program_id=self.program_id,
                            credit_code=self.credit_code, city_name=self.city_name)

    def revise(self, text: str, today: date) -> None:
        """The city's revised text, answering the open round."""
        self._require((REVISING,), "revised")
        self._revised(round=self.rounds[-1]["round"], version=self.text_version + 1, text=text, revised_on=today,
                      program_id=self.program_id, credit_code=self.credit_code, city_name=self.city_name)

    def accept(self, opinion: str, by: str, approvers: list[str], today: date) -> None:
        """Formal acceptance (正式受理) of the current text; the group's opinion goes to the approvers."""
        self._require((PROPOSED, REVISED), "formally accepted")
        if not approvers:
            raise ValueError("a plan is accepted for at least one approver")
        self._accepted(version=self.text_version, opinion=opinion, by=by, approvers=list(approvers), accepted_on=today,
                       program_id=self.program_id, credit_code=self.credit_code, city_name=self.city_name)

    # -- the approvers --------------------------------------------------------------------------
    def approve(self, approver: str, today: date) -> None:
        self._require_approver(approver, "approved")
        remaining = [a for a in self.remaining if a != approver]
        self._approved(approver=approver, version=self.text_version, approved_on=today, remaining=remaining,
                       jointly_approved=not remaining, program_id=self.program_id,
                       credit_code=self.credit_code, city_name=self.city_name)

    def send_back(self, approver: str, reasons: list[str], today: date) -> None:
        """Back to revision with the approver's reasons; every approval given so far lapses."""
        self._require_approver(approver, "sent back")
        if not reasons:
            raise ValueError("a plan is sent back with its reasons")
        self._sent_back(approver=approver, reasons=list(reasons), round=len(self.rounds) + 1, version=self.text_version,
                        sent_back_on=today, lapsed=sorted(self.approvals), program_id=self.program_id,
                        credit_code=self.credit_code, city_name=self.city_name)

    def include_in_batch(self, batch_id: UUID, today: date) -> None:
        self._require((APPROVED,), "put in a batch")
        self._batched(batch_id=batch_id, batched_on=today, program_id=self.program_id,
                      credit_code=self.credit_code, city_name=self.city_name)

    def _require(self, statuses: tuple, what: str) -> None:
        if self.status not in statuses:
            raise WrongState(f"plan {self.id} is {self.status}; only a plan that is {' or '.join(statuses)} "
                             f"can be {what}")

    def _require_approver(self, approver: str, what: str) -> None:
        self._require((ACCEPTED,), what)
        if approver not in self.approvers:
            raise WrongState(f"{approver!r} is not one of the approvers the plan was accepted for "
                             f"({', '.join(self.approvers)})")
        if approver in self.approvals:
            raise WrongState(f"{approver} approved version {self.text_version} of plan {self.id} on "
                             f"{self.approvals[approver]}")

    # -- events ---------------------------------------------------------------------------------
    @event("OpinionGiven")
    def _opinion_given(self, round: int, opinion: str, by: str, given_on: date, version: int,
                       program_id: str, credit_code: str, city_name: str) -> None:
        self.rounds.append({"round": round, "kind": "opinion", "by": by, "opinion": opinion, "given_on": given_on,
                            "on_version": version, "revised_on": None, "version": None})
        self.status = REVISING

    @event("Revised")
    def _revised(self, round: int, version: int, text: str, revised_on: date, program_id: str,
                 credit_code: str, city_name: str) -> None:
        self.versions.append({"version": version, "text": text, "on": revised_on})
        self.rounds[-1].update(revised_on=revised_on, version=version)
        self.status = REVISED

    @event("Accepted")
    def _accepted(self, version: int, opinion: str, by: str, approvers: list, accepted_on: date,
                  program_id: str, credit_code: str, city_name: str) -> None:
        self.acceptances.append({"version": version, "opinion": opinion, "by": by, "on": accepted_on,
                                 "approvers": list(approvers)})
        self.approvers = list(approvers)
        self.approvals = {}
        self.status = ACCEPTED

    @event("Approved")
    def _approved(self, approver: str, version: int, approved_on: date, remaining: list, jointly_approved: bool,
                  program_id: str, credit_code: str, city_name: str) -> None:
        self.approvals[approver] = approved_on
        if jointly_approved:
            self.status = APPROVED

    @event("SentBack")
    def _sent_back(self, approver: str, reasons: list, round: int, version: int, sent_back_on: date,
                   lapsed: list, program_id: str, credit_code: str, city_name: str) -> None:
        self.rounds.append({"round": round, "kind": "sent_back", "by": approver, "opinion": "；".join(reasons),
                            "given_on": sent_back_on, "on_version": version, "revised_on": None, "version": None,
                            "lapsed": list(lapsed)})
        self.approvals = {}
        self.status = REVISING

    @event("Batched")
    def _batched(self, batch_id: UUID, batched_on: date, program_id: str, credit_code: str, city_name: str) -> None:
        self.batch_id = batch_id
        self.status = BATCHED


class Batch(Aggregate):
    """A batch of jointly approved cities (第一批 ...), confirmed at once; its label is unique in its program."""

    @staticmethod
    def create_id(program_id: str, label: str, **_) -> UUID:
        return uuid5(_NS, f"batch/{program_id}/{label}")

    @event("Approved")
    def __init__(self, program_id: str, label: str, cities: list, approved_on: date, by: str):
        if not cities:
            raise ValueError("a batch confirms at least one city")
        self.program_id = program_id
        self.label = label
        self.cities = cities  # [{"plan_id", "city_name", "region_code", "credit_code"}]
        self.approved_on = approved_on
        self.by = by
