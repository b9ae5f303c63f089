"""The public registry's read model: every unit's state as spans of business dates, in SQLite.

Each Unit event closes the unit's current span on its business date (valid_from, due_on,
confirmed_on, revoked_on, given_up_on, amended_on) and opens the next one; so "who held the title
on 2027-03-01" is a query over history, not over the current state. The model follows the
service's notification log: `catch_up` applies the events after its stored position, each exactly
once (the spans and the position commit together), and `rebuild` recomputes it from the log in one
transaction. It holds only what the public registry shows; it is a cache of the log, never a source.
"""
from __future__ import annotations

import operator
import sqlite3
import threading
from datetime import date
from pathlib import Path

from shared.programs import load_program
from shared.search import like_pattern, search_key

from services.registry.domain import CONFIRMED, GIVEN_UP, REVOKED, UNDER_REREVIEW, Unit

VERSION = "4"  # bump when the projection changes: the model is then rebuilt from the log
PAGE = 500
HOLDING_ONLY, ANY_STATUS = "holding", "any"
SORTS = {"certificate_no": "certificate_no", "unit_name": "name_key", "valid_from": "valid_from",
         "rereview_due": "rereview_due", "region_code": "region_code", "unit_type": "unit_type"}

_COLUMNS = ("unit_id", "span_from", "span_to", "status", "holds", "certificate_no", "application_id",
            "title", "unit_name", "name_key", "unit_type", "subtype", "region_code", "city_code",
            "credit_code", "program_id", "round_id", "round_label", "valid_from", "rereview_due", "ended_on", "grade")
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS spans (
    {", ".join(f"{c} TEXT" for c in _COLUMNS)},
    PRIMARY KEY (unit_id, span_from));
CREATE INDEX IF NOT EXISTS spans_current ON spans (span_to, holds, rereview_due);
CREATE INDEX IF NOT EXISTS spans_certificate ON spans (certificate_no);
"""
_row_tuple = operator.itemgetter(*_COLUMNS)  # a span's dict as the INSERT's parameters
_INSERT = f"INSERT INTO spans ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_OUT = ("unit_id AS id, status, holds AS holds_title, certificate_no, application_id, title, unit_name, "
        "unit_type, subtype, region_code, city_code, credit_code, program_id, round_id, round_label, "
        "valid_from, rereview_due, ended_on, grade, span_from AS state_since")


class RegistryView:
    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        if self.path != ":memory:":
            self.db.execute("PRAGMA journal_mode=WAL")
        self._lock = threading.RLock()
        with self._lock:
            self.db.executescript(_SCHEMA)
            if self._meta("version") != VERSION:
                self._reset()

    # -- following the log ----------------------------------------------------------------------
    @property
    def position(self) -> int:
        return int(self._meta("position") or 0)

    def catch_up(self, app) -> int:
        """Applies the service's events after the stored position; returns how many were read."""
        applied = 0
        with self._lock:
            while True:
                page = app.recorder.select_notifications(start=self.position, limit=PAGE, inclusive_of_start=False)
                if not page:
                    if self.position > (app.recorder.max_notification_id() or 0):
                        self._reset()  # a new, shorter store under an old model: start again
                        continue
                    return applied
                with self._transaction():
                    position = self.position  # another process may have moved it meanwhile
                    for notification in page:
                        if notification.id > position:
                            self._apply(app.mapper.to_domain_event(notification))
                            applied += 1
                    self._set_meta("position", str(max(position, page[-1].id)))

    def rebuild(self, app) -> int:
        """Recomputes the whole model from the log in one transaction; returns the Unit events read.

        Reads only the Unit events the model uses (by topic), up to the log's end as it was when the
        rebuild began, keeps each unit's open span in memory, and writes the spans a page closed with
        one statement per page and the open ones at the end: the rows a catch-up over the same
        events would leave (tests/unit/test_registry_readmodel.py checks both ways agree)."""
        with self._lock:
            with self._transaction():
                self.db.execute("DELETE FROM spans")
                self._set_meta("version", VERSION)
                end = app.recorder.max_notification_id() or 0
                spans, count, position = _Spans(), 0, 0
                while position < end and (page := app.recorder.select_notifications(
                        start=position, limit=PAGE, stop=end, topics=_TOPICS, inclusive_of_start=False)):
                    for notification in page:
                        spans.apply(app.mapper.to_domain_event(notification))
                    count += len(page)
                    position = page[-1].id
                    self._insert_rows(spans.take_closed())
                self._insert_rows(spans.open_rows())
                self._set_meta("position", str(end))
            return count

    def _apply(self, event) -> None:
        change = _CHANGES.get(type(event))
        if isinstance(event, Unit.Certified):
            self._insert(_certified(event))
        elif change is not None:
            effective, values = change(event)
            self._change(str(event.originator_id), effective, values)

    def _change(self, unit_id: str, effective: date, values: dict) -> None:
        current = self.db.execute("SELECT * FROM spans WHERE unit_id = ? AND span_to IS NULL", (unit_id,)).fetchone()
        if current is None:
            raise LookupError(f"read model: an event of unit {unit_id} before its certification")
        on = effective.isoformat()
        if on <= current["span_from"]:  # the same day (or a clock set back): the day ends in the new state
            assignments = ", ".join(f"{k} = ?" for k in values)
            self.db.execute(f"UPDATE spans SET {assignments} WHERE unit_id = ? AND span_from = ?",
                            (*values.values(), unit_id, current["span_from"]))
            return
        self.db.execute("UPDATE spans SET span_to = ? WHERE unit_id = ? AND span_from = ?",
                        (on, unit_id, current["span_from"]))
        self._insert({**dict(current), **values, "span_from": on, "span_to": None})

    def _insert(self, row: dict) -> None:
        self._insert_rows([_row_tuple(row)])

    def _insert_rows(self, rows: list[tuple]) -> None:
        if rows:
            self.db.executemany(_INSERT, rows)

    # -- queries --------------------------------------------------------------------------------
    def search(self, as_of: date, q: str | None = None, unit_type: str | None = None, subtype: str | None = None,
               city: str | None = None, region_code: str | None = None, status: str = HOLDING_ONLY,
               program_id: str | None = None, round: str | None = None, application_id: str | None = None,
               grade: str | None = None, sort: str = "certificate_no", limit: int = 100,
               offset: int = 0) -> tuple[int, list[dict]]:
        """(how many match, one page of them) among the units as they stood at the end of `as_of`."""
        where, params = ["span_from <= ?", "(span_to IS NULL OR span_to > ?)"], [as_of.isoformat()] * 2
        if status == HOLDING_ONLY:
            where.append("holds = '1'")
        elif status != ANY_STATUS:
            where.append("status = ?")
            params.append(status)
        if q:
            where.append("name_key LIKE ? ESCAPE '\\'")
            params.append(like_pattern(q))
        if round:
            where.append("(round_id = ? OR round_label = ?)")
            params += [round, round]
        for column, value in (("unit_type", unit_type), ("subtype", subtype), ("city_code", city),
                              ("region_code", region_code), ("program_id", program_id),
                              ("application_id", application_id), ("grade", grade)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(str(value))
        descending = sort.startswith("-")
        column = SORTS[sort.lstrip("-")]
        order = f"{column} {'DESC' if descending else 'ASC'}, certificate_no, unit_id"
        sql = f"FROM spans WHERE {' AND '.join(where)}"
        with self._lock:
            total = self.db.execute(f"SELECT COUNT(*) {sql}", params).fetchone()[0]
            rows = self.db.execute(f"SELECT {_OUT} {sql} ORDER BY {order} LIMIT ? OFFSET ?",
                                   (*params, limit, offset)).fetchall()
        return total, [_out(r) for r in rows]

    def unit_at(self, unit_id, as_of: date) -> dict | None:
        """One unit as it stood at the end of `as_of`; None before its certification."""
        with self._lock:
            row = self.db.execute(f"SELECT {_OUT} FROM spans WHERE unit_id = ? AND span_from <= ? "
                                  "AND (span_to IS NULL OR span_to > ?)",
                                  (str(unit_id), as_of.isoformat(), as_of.isoformat())).fetchone()
        return _out(row) if row else None

    def unit_id_of_certificate(self, certificate_no: str) -> str | None:
        with self._lock:
            row = self.db.execute("SELECT unit_id FROM spans WHERE certificate_no = ? LIMIT 1",
                                  (certificate_no,)).fetchone()
        return row["unit_id"] if row else None

    def holders_by_type(self, program_id: str, as_of: date) -> dict[str, int]:
        with self._lock:
            rows = self.db.execute("SELECT unit_type, COUNT(*) AS n FROM spans WHERE program_id = ? AND holds = '1' "
                                   "AND span_from <= ? AND (span_to IS NULL OR span_to > ?) GROUP BY unit_type",
                                   (program_id, as_of.isoformat(), as_of.isoformat())).fetchall()
        return {r["unit_type"]: r["n"] for r in rows}

    def holders_by_grade(self, program_id: str, as_of: date) -> dict[str, dict[str | None, int]]:
        """Title holders at the end of `as_of` by unit type and grade (None: not graded)."""
        with self._lock:
            rows = self.db.execute("SELECT unit_type, grade, COUNT(*) AS n FROM spans WHERE program_id = ? "
                                   "AND holds = '1' AND span_from <= ? AND (span_to IS NULL OR span_to > ?) "
                                   "GROUP BY unit_type, grade",
                                   (program_id, as_of.isoformat(), as_of.isoformat())).fetchall()
        counts: dict[str, dict[str | None, int]] = {}
        for r in rows:
            counts.setdefault(r["unit_type"], {})[r["grade"]] = r["n"]
        return counts

    def due_for_rereview(self, today: date) -> list[str]:
        """Units holding their title whose re-review is due and not yet asked for, in programs that
        re-review (a national city's title is assessed yearly instead: the timer never loads it)."""
        with self._lock:
            rows = self.db.execute("SELECT unit_id, program_id FROM spans WHERE span_to IS NULL AND holds = '1' "
                                   "AND status != ? AND rereview_due <= ? ORDER BY rereview_due, certificate_no",
                                   (UNDER_REREVIEW, today.isoformat())).fetchall()
        rereviewing = {p for p in {r["program_id"] for r in rows} if load_program(p).has_stage("re_review")}
        return [r["unit_id"] for r in rows if r["program_id"] in rereviewing]

    def rows(self) -> list[dict]:
        """Every span, in a fixed order: what a rebuilt model must equal."""
        with self._lock:
            return [dict(r) for r in self.db.execute("SELECT * FROM spans ORDER BY unit_id, span_from")]

    def close(self) -> None:
        self.db.close()

    # -- plumbing -------------------------------------------------------------------------------
    def _reset(self) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM spans")
            self._set_meta("version", VERSION)
            self._set_meta("position", "0")

    def _meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row["value"] if row else None

    def _set_meta(self, name: str, value: str) -> None:
        self.db.execute("INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = ?",
                        (name, value, value))

    def _transaction(self):
        return _Transaction(self.db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on an exception: one writer at a time, across processes."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, exc, tb):
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        return False


def _text(value) -> str | None:
    return None if value is None else str(value)


def _certified(event) -> dict:
    return {"unit_id": str(event.originator_id), "span_from": event.valid_from.isoformat(), "span_to": None,
            "status": "certified", "holds": "1", "certificate_no": event.certificate_no,
            "application_id": str(event.application_id), "title": event.title, "unit_name": event.unit_name,
            "name_key": search_key(event.unit_name), "unit_type": event.unit_type,
            "subtype": getattr(event, "subtype", None), "region_code": event.region_code,
            "city_code": _city(event.region_code), "credit_code": event.credit_code,
            "program_id": event.program_id, "round_id": _text(getattr(event, "round_id", None)),
            "round_label": getattr(event, "round_label", None), "valid_from": event.valid_from.isoformat(),
            "rereview_due": event.rereview_due.isoformat(), "ended_on": None, "grade": None}


def _city(region_code: str) -> str:
    return region_code[:4] + "00"


def _amended(event) -> tuple[date, dict]:
    values = {k: v for k, v in event.changes.items()}
    if "unit_name" in values:
        values["name_key"] = search_key(values["unit_name"])
    if "region_code" in values:
        values["city_code"] = _city(values["region_code"])
    return event.amended_on, values


_CHANGES = {
    Unit.RereviewRequested: lambda e: (e.due_on, {"status": UNDER_REREVIEW}),
    Unit.Confirmed: lambda e: (e.confirmed_on, {"status": CONFIRMED, "rereview_due": e.rereview_due.isoformat()}),
    Unit.Revoked: lambda e: (e.revoked_on, {"status": REVOKED, "holds": "0", "ended_on": e.revoked_on.isoformat()}),
    Unit.GivenUp: lambda e: (e.given_up_on, {"status": GIVEN_UP, "holds": "0",
                                             "ended_on": e.given_up_on.isoformat()}),
    Unit.Amended: _amended,
    Unit.Graded: lambda e: (e.graded_on, {"grade": e.grade}),
}

_TOPICS = [f"{cls.__module__}:{cls.__qualname__}" for cls in (Unit.Certified, *_CHANGES)]


class _Spans:
    """A rebuild's spans in memory: each unit's open span, and the spans closed since last taken.
    The same rules as RegistryView._change, without reading rows back from SQLite."""

    def __init__(self):
        self.open: dict[str, dict] = {}
        self.closed: list[tuple] = []

    def apply(self, event) -> None:
        if isinstance(event, Unit.Certified):
            row = _certified(event)
            self.open[row["unit_id"]] = row
            return
        change = _CHANGES.get(type(event))
        if change is None:
            return
        effective, values = change(event)
        unit_id = str(event.originator_id)
        current = self.open.get(unit_id)
        if current is None:
            raise LookupError(f"read model: an event of unit {unit_id} before its certification")
        on = effective.isoformat()
        if on <= current["span_from"]:  # the same day (or a clock set back): the day ends in the new state
            current.update(values)
            return
        self.closed.append(_row_tuple({**current, "span_to": on}))
        self.open[unit_id] = {**current, **values, "span_from": on, "span_to": None}

    def take_closed(self) -> list[tuple]:
        closed, self.closed = self.closed, []
        return closed

    def open_rows(self) -> list[tuple]:
        return [_row_tuple(row) for row in self.open.values()]


def _out(row) -> dict:
    out = dict(row)
    out["holds_title"] = out["holds_title"] == "1"
    for name in ("valid_from", "rereview_due", "ended_on", "state_since"):
        out[name] = date.fromisoformat(out[name]) if out[name] else None
    return out
