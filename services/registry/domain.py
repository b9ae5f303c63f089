"""The Unit and CertificateBook aggregates: a unit's title from certification to re-review,
revocation or giving up, with its yearly reports and (in a grading program) its grade's history;
and the certificate numbers a program issues."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

CERTIFIED = "certified"
UNDER_REREVIEW = "under_rereview"
CONFIRMED = "confirmed"
REVOKED = "revoked"
GIVEN_UP = "given_up"
HOLDING = (CERTIFIED, UNDER_REREVIEW, CONFIRMED)  # the statuses of a unit that holds its title

# Why the province revokes a title (a re-review's revocation has its own code, REREVIEW_FAILED).
PROVINCE_REASONS = {
    "violation": "违法违规经营（如其他部门查处的违法行为）",
    "fraud": "申报或报送材料弄虚作假",
    "reporting_failure": "未按规定报送统计报表",
    "other": "其他",
}
REREVIEW_FAILED = "rereview_failed"
AMENDABLE = ("unit_name", "region_code", "subtype")
GRADE_BASES = ("award", "rereview", "province")  # what a grade rests on: the award's or a re-review's
                                                 # panel score, or the province's decision with a reason

_NS = uuid5(NAMESPACE_URL, "https://shifan.example/registry")


class WrongState(Exception):
    """The unit is not in a state that allows the command."""


class Unit(Aggregate):
    """A unit holding a demonstration title; one per application, so it is certified only once."""

    @staticmethod
    def create_id(application_id: UUID, **_) -> UUID:
        return uuid5(_NS, f"unit/{application_id}")

    @event("Certified")
    def __init__(self, application_id: UUID, certificate_no: str, title: str, unit_name: str,
                 unit_type: str, region_code: str, credit_code: str, program_id: str,
                 notice_id: UUID, valid_from: date, rereview_due: date, subtype: str | None = None,
                 round_id: UUID | None = None, round_label: str | None = None):
        self.application_id = application_id
        self.certificate_no = certificate_no
        self.title = title
        self.unit_name = unit_name
        self.unit_type = unit_type
        self.subtype = subtype
        self.region_code = region_code
        self.credit_code = credit_code
        self.program_id = program_id
        self.round_id = round_id
        self.round_label = round_label
        self.notice_id = notice_id
        self.valid_from = valid_from
        self.rereview_due = rereview_due
        self.status = CERTIFIED
        self.certificate_issued_on = valid_from
        self.rereview_requested_for: date | None = None
        self.rereviews_concluded: list[str] = []
        self.reports: dict[int, dict] = {}
        self.ended_on: date | None = None
        self.timeline: list[dict] = [{"on": valid_from, "event": "certified", "status": CERTIFIED}]
        self.notes: list[dict] = []  # free texts of the province and the unit: never published
        self.grade: str | None = None
        self.grades: list[dict] = []  # the grade's history, oldest first

    @property
    def holds_title(self) -> bool:
        return self.status in HOLDING

    def summary(self) -> dict:
        """The unit as the review service needs it for a re-review."""
        return {"application_id": self.application_id, "certificate_no": self.certificate_no,
                "program_id": self.program_id, "unit_name": self.unit_name, "unit_type": self.unit_type,
                "subtype": self.subtype, "region_code": self.region_code, "credit_code": self.credit_code}

    def latest_report(self) -> dict | None:
        return self.reports[max(self.reports)] if self.reports else None

    # -- re-review -----------------------------------------------------------------------------
    def rereview_is_due(self, today: date) -> bool:
        """Due on the service clock and not yet asked for this due date."""
        return self.holds_title and self.rereview_due <= today and self.rereview_requested_for != self.rereview_due

    def request_rereview(self, today: date) -> None:
        if not self.rereview_is_due(today):
            raise WrongState(f"unit {self.id}: no re-review to request on {today} "
                             f"(status {self.status}, due {self.rereview_due})")
        self._rereview_requested(due_on=self.rereview_due, report=self.latest_report(), unit=self.summary())

    def conclude_rereview(self, rereview_id: UUID, outcome: str, reasons: list[str], concluded_on: date,
                          next_due: date) -> bool:
        """Applies a re-review's outcome; False (nothing recorded) when it was applied before or
        the unit no longer holds its title (the province revoked it meanwhile, say)."""
        if str(rereview_id) in self.rereviews_concluded or not self.holds_title:
            return False
        if outcome == "confirm":
            self._confirmed(rereview_id=rereview_id, confirmed_on=concluded_on, rereview_due=next_due,
                            certificate_no=self.certificate_no)
        elif outcome == "revoke":
            self._revoked(revoked_on=concluded_on, by="rereview", reason_code=REREVIEW_FAILED,
                          reasons=list(reasons), evidence_ref=None, rereview_id=rereview_id, note="",
                          certificate_no=self.certificate_no)
        else:
            raise ValueError(f"a re-review concludes confirm or revoke, not {outcome!r}")
        return True

    @event("RereviewRequested")
    def _rereview_requested(self, due_on: date, report: dict | None, unit: dict) -> None:
        self.status = UNDER_REREVIEW
        self.rereview_requested_for = due_on
        self.timeline.append({"on": due_on, "event": "rereview_requested", "status": UNDER_REREVIEW})

    @event("Confirmed")
    def _confirmed(self, rereview_id: UUID, confirmed_on: date, rereview_due: date, certificate_no: str) -> None:
        self.status = CONFIRMED
        self.rereview_due = rereview_due
        self.rereviews_concluded.append(str(rereview_id))
        self.certificate_issued_on = confirmed_on
        self.timeline.append({"on": confirmed_on, "event": "confirmed", "status": CONFIRMED,
                              "rereview_due": rereview_due})

    # -- the end of a title ---------------------------------------------------------------------
    def revoke(self, reason_code: str, evidence_ref: str, note: str, today: date) -> None:
        """The province revokes the title (a violation another agency found, say)."""
        self._require_holding("revoked")
        if reason_code not in PROVINCE_REASONS:
            raise ValueError(f"reason_code must be one of {', '.join(PROVINCE_REASONS)}")
        self._revoked(revoked_on=today, by="province", reason_code=reason_code,
                      reasons=[PROVINCE_REASONS[reason_code]], evidence_ref=evidence_ref, rereview_id=None,
                      note=note, certificate_no=self.certificate_no)

    def give_up(self, reason: str, today: date) -> None:
        self._require_holding("given up")
        self._given_up(given_up_on=today, reason=reason, certificate_no=self.certificate_no)

    @event("Revoked")
    def _revoked(self, revoked_on: date, by: str, reason_code: str, reasons: list, evidence_ref: str | None,
                 rereview_id: UUID | None, note: str, certificate_no: str) -> None:
        self.status = REVOKED
        self.ended_on = revoked_on
        if rereview_id is not None:
            self.rereviews_concluded.append(str(rereview_id))
        self.timeline.append({"on": revoked_on, "event": "revoked", "status": REVOKED, "by": by,
                              "reason_code": reason_code, "reasons": list(reasons)})
        if note:
            self.notes.append({"on": revoked_on, "event": "revoked", "text": note, "evidence_ref": evidence_ref})

    @event("GivenUp")
    def _given_up(self, given_up_on: date, reason: str, certificate_no: str) -> None:
        self.status = GIVEN_UP
        self.ended_on = given_up_on
        self.timeline.append({"on": given_up_on, "event": "given_up", "status": GIVEN_UP})
        self.notes.append({"on": given_up_on, "event": "given_up", "text": reason, "evidence_ref": None})

    # -- the grade (等级评定) -----------------------------------------------------------------------
    def set_grade(self, grade: str, rank: int, score: Decimal | None, basis: str, on: date,
                  reason: str = "", rereview_id: UUID | None = None) -> None:
        """Records the unit's grade; `rank` orders grades (higher is better) so the history says
        whether it was first given, kept, raised or lowered. A grade is an attribute of a title
        held: an ended title keeps its last grade."""
        self._require_holding("graded")
        if basis not in GRADE_BASES:
            raise ValueError(f"a grade rests on one of {', '.join(GRADE_BASES)}, not {basis!r}")
        if basis == "province" and not reason.strip():
            raise ValueError("the province gives a reason for a grade it sets")
        if basis == "province" and grade == self.grade:
            raise WrongState(f"unit {self.id} is already graded {grade}")
        previous = self.grades[-1] if self.grades else None
        if previous is None:
            change = "graded"
        else:
            change = "kept" if rank == previous["rank"] else "upgraded" if rank > previous["rank"] else "downgraded"
        self._graded(grade=grade, rank=rank, previous=self.grade, change=change,
                     score=score, basis=basis, graded_on=on, reason=reason, rereview_id=rereview_id,
                     certificate_no=self.certificate_no)

    @event("Graded")
    def _graded(self, grade: str, rank: int, previous: str | None, change: str, score: Decimal | None,
                basis: str, graded_on: date, reason: str, rereview_id: UUID | None, certificate_no: str) -> None:
        self.grade = grade
        self.grades.append({"grade": grade, "rank": rank, "previous": previous, "change": change,
                            "score": score, "basis": basis, "on": graded_on})
        self.timeline.append({"on": graded_on, "event": change, "status": self.status, "grade": grade})
        if reason:
            self.notes.append({"on": graded_on, "event": change, "text": reason, "evidence_ref": None})

    # -- details and reports --------------------------------------------------------------------
    def amend(self, changes: dict, reason: str, today: date) -> None:
        """Changes the unit's name, region or subtype; earlier events keep the old values."""
        self._require_holding("amended")
        unknown = sorted(set(changes) - set(AMENDABLE))
        if unknown:
            raise ValueError(f"only {', '.join(AMENDABLE)} can be amended, not {', '.join(unknown)}")
        changes = {k: v for k, v in changes.items() if getattr(self, k) != v}
        if not changes:
            raise ValueError("nothing to change: every value given is the current one")
        previous = {k: getattr(self, k) for k in changes}
        self._amended(changes=changes, previous=previous, amended_on=today, reason=reason,
                      certificate_no=self.certificate_no)

    def submit_report(self, year: int, figures: dict, declarations: dict, today: date) -> None:
        self._require_holding("reporting")
        if year in self.reports:
            raise WrongState(f"unit {self.id} has already reported its figures for {year}")
        if not self.valid_from.year <= year < today.year:
            raise ValueError(f"a report is for a whole year from {self.valid_from.year} "
                             f"to {today.year - 1}, not {year}")
        self._report_submitted(year=year, figures=figures, declarations=declarations, submitted_on=today,
                               certificate_no=self.certificate_no)

    @event("Amended")
    def _amended(self, changes: dict, previous: dict, amended_on: date, reason: str, certificate_no: str) -> None:
        for name, value in changes.items():
            setattr(self, name, value)
        self.certificate_issued_on = amended_on
        self.timeline.append({"on": amended_on, "event": "amended", "status": self.status,
                              "changed": sorted(changes)})
        self.notes.append({"on": amended_on, "event": "amended", "text": reason, "evidence_ref": None})

    @event("ReportSubmitted")
    def _report_submitted(self, year: int, figures: dict, declarations: dict, submitted_on: date,
                          certificate_no: str) -> None:
        self.reports[year] = {"year": year, "figures": figures, "declarations": declarations,
                              "submitted_on": submitted_on}

    def missing_reports(self, today: date, grace_month_day: tuple[int, int]) -> list[dict]:
        """Years whose report is overdue on `today`: each whole year of the title, once the grace
        date of the following year has passed."""
        if not self.holds_title:
            return []
        month, day = grace_month_day
        overdue = []
        for year in range(self.valid_from.year, today.year):
            due_by = date(year + 1, month, day)
            if today > due_by and year not in self.reports:
                overdue.append({"year": year, "due_by": due_by})
        return overdue

    def _require_holding(self, what: str) -> None:
        if not self.holds_title:
            raise WrongState(f"unit {self.id} is {self.status} since {self.ended_on}; it cannot be {what}")


class CertificateBook(Aggregate):
    """A program's certificate numbers: issued in sequence, never reused."""

    @staticmethod
    def create_id(program_id: str, **_) -> UUID:
        return uuid5(_NS, f"certificate-book/{program_id}")

    @event("Opened")
    def __init__(self, program_id: str, prefix: str):
        self.program_id = program_id
        self.prefix = prefix
        self.issued = 0

    def issue(self, count: int, year: int) -> list[str]:
        numbers = [f"{self.prefix}-{year}-{self.issued + i:05d}" for i in range(1, count + 1)]
        self._issued(numbers=numbers, program_id=self.program_id)
        return numbers

    @event("Issued")
    def _issued(self, numbers: list, program_id: str) -> None:
        self.issued += len(numbers)
