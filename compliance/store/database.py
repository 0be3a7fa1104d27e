"""Open a store, record a run into it as the run goes, and read runs back.

A run is written as it goes: its row first (status ``running``), then each
page's results with all their clauses in one transaction, then its final
status. A run stopped half-way (Ctrl-C, a crash, ``kill -9``) is therefore
left ``interrupted`` or still ``running``, and every result row it wrote is
whole; the commands that compare runs read complete runs only.

What is recorded is the checker's verdict on each page, before a baseline or
waiver file excuses anything: those are a CI job's view of the same verdicts.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Iterable, Iterator, Sequence

from compliance.inputs.clock import now
from compliance.results.model import (
    Capture,
    ClauseResult,
    ClauseStatus,
    Evidence,
    PageResult,
    PageStatus,
    PolicyRef,
    Severity,
    Suppression,
)
from compliance.store.backends import Connection, StoreError, connect, parse_location
from compliance.store.keys import page_key, site_of
from compliance.store.migrations import migrate

RUNNING, COMPLETE, INTERRUPTED = "running", "complete", "interrupted"


@dataclass(frozen=True)
class PolicyText:
    """A policy as a run applied it (``policy.load.applied_text``), and the file it was loaded from."""

    ref: PolicyRef
    text: str
    file: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RunInfo:
    id: int
    started_at: str
    finished_at: str | None
    status: str
    tool_version: str
    results: int
    archive: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    policies: tuple[tuple[str, str], ...] = ()  # (policy id, sha256), in the run's order

    @property
    def complete(self) -> bool:
        return self.status == COMPLETE

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "started_at": self.started_at, "finished_at": self.finished_at,
                "status": self.status, "tool_version": self.tool_version, "results": self.results}


@dataclass(frozen=True)
class StoredResult:
    """One page x policy result as the store holds it."""

    run_id: int
    page_key: str
    site: str
    policy_sha256: str
    result: PageResult

    @property
    def source(self) -> str:
        return self.result.source

    @property
    def capture(self) -> Capture | None:
        return self.result.capture


class Store:
    """An open store. ``Store(spec)`` connects and migrates; use it as a context manager."""

    def __init__(self, spec: str):
        self.location = parse_location(spec)
        self.conn: Connection = connect(self.location)
        try:
            with self._errors():
                self.version = migrate(self.conn, self.location.display)
        except BaseException:
            self.conn.close()
            raise

    @property
    def display(self) -> str:
        return self.location.display

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """A database failure (disk full, lock held too long, server gone) is a message, not a traceback."""
        try:
            yield
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001 - sqlite3.Error / psycopg.Error, without importing either here
            if type(exc).__module__.split(".")[0] not in ("sqlite3", "psycopg"):
                raise
            raise StoreError(f"{self.display}: {self.conn.name} error: {' '.join(str(exc).split())}") from None

    # -- writing ------------------------------------------------------------------------------------

    def begin_run(self, tool_version: str, inputs: Sequence[str], policies: Sequence[PolicyText],
                  settings: dict[str, Any], archive: str | None = None) -> RunRecorder:
        c = self.conn
        with self._errors(), c.transaction():
            run_id = c.insert(
                "INSERT INTO runs (started_at, status, tool_version, settings, archive, host, pid) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (now(), RUNNING, tool_version, json.dumps(settings, sort_keys=True, ensure_ascii=False), archive,
                 socket.gethostname(), os.getpid()))
            c.executemany("INSERT INTO run_inputs (run_id, position, argument) VALUES (?, ?, ?)",
                          [(run_id, i, a) for i, a in enumerate(inputs)])
            for i, p in enumerate(policies):
                # another run may be storing the same policy at this moment: the first one in wins
                c.execute("INSERT INTO policies (sha256, policy_id, title, licensor, terms_url, text) "
                          "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                          (p.sha256, p.ref.id, p.ref.title, p.ref.licensor, p.ref.terms_url, p.text))
                c.execute("INSERT INTO run_policies (run_id, position, policy_sha256, file) VALUES (?, ?, ?, ?)",
                          (run_id, i, p.sha256, p.file))
        return RunRecorder(self, run_id, {p.ref.id: p.sha256 for p in policies})

    # -- reading ------------------------------------------------------------------------------------

    def runs(self) -> list[RunInfo]:
        """Every run, oldest first (inputs and policies are filled in by ``run``)."""
        with self._errors():
            rows = self.conn.query("SELECT id, started_at, finished_at, status, tool_version, results, archive, "
                                   "settings FROM runs ORDER BY id")
        return [RunInfo(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7])) for r in rows]

    def run(self, run_id: int) -> RunInfo:
        found = [r for r in self.runs() if r.id == run_id]
        if not found:
            raise StoreError(f"{self.display}: there is no run {run_id} (see `compliance history`)")
        with self._errors():
            inputs = tuple(r[0] for r in self.conn.query(
                "SELECT argument FROM run_inputs WHERE run_id = ? ORDER BY position", (run_id,)))
            policies = tuple((r[0], r[1]) for r in self.conn.query(
                "SELECT p.policy_id, p.sha256 FROM run_policies rp JOIN policies p ON p.sha256 = rp.policy_sha256 "
                "WHERE rp.run_id = ? ORDER BY rp.position", (run_id,)))
        return replace(found[0], inputs=inputs, policies=policies)

    def policy_text(self, sha256: str) -> PolicyText:
        with self._errors():
            row = self.conn.one("SELECT policy_id, title, licensor, terms_url, text FROM policies WHERE sha256 = ?",
                                (sha256,))
        if row is None:
            raise StoreError(f"{self.display}: no policy with SHA-256 {sha256}")
        return PolicyText(PolicyRef(row[0], row[1], row[2], row[3]), row[4])

    def site_counts(self, run_ids: Sequence[int], site: str | None = None) -> list[tuple[int, str, str, int]]:
        """(run, site, page status, results) for the given runs, counted by the database."""
        if not run_ids:
            return []
        marks = ", ".join("?" for _ in run_ids)
        where, params = f"run_id IN ({marks})", list(run_ids)
        if site is not None:
            where += " AND site = ?"
            params.append(site)
        with self._errors():
            return [(r[0], r[1], r[2], int(r[3])) for r in self.conn.query(
                f"SELECT run_id, site, status, COUNT(*) FROM results WHERE {where} GROUP BY run_id, site, status",
                params)]

    def results(self, run_id: int, *, site: str | None = None, page: str | None = None) -> list[StoredResult]:
        """A run's results in input order, optionally one site's or one page's (by ``keys.page_key``)."""
        where, params = "r.run_id = ?", [run_id]
        if site is not None:
            where += " AND r.site = ?"
            params.append(site)
        if page is not None:
            where += " AND r.page_key = ?"
            params.append(page)
        with self._errors():
            rows = self.conn.query(
                "SELECT r.id, r.source, r.page_key, r.site, r.policy_sha256, r.status, r.message, r.encoding, "
                "r.context, r.content_sha256, r.content_length, r.fetched_at, r.warc_file, r.warc_offset, "
                "r.warc_length, r.warc_record_id, p.policy_id, p.title, p.licensor, p.terms_url "
                f"FROM results r JOIN policies p ON p.sha256 = r.policy_sha256 WHERE {where} ORDER BY r.position",
                params)
            clauses: dict[int, list[ClauseResult]] = {}
            if rows:
                for c in self.conn.query(
                        "SELECT c.result_id, c.clause_id, c.title, c.status, c.severity, c.message, c.remediation, "
                        "c.term, c.evidence, c.suppression FROM clause_results c JOIN results r ON r.id = c.result_id "
                        f"WHERE {where} ORDER BY c.result_id, c.position", params):
                    clauses.setdefault(c[0], []).append(_clause(c[1:]))
        out = []
        for r in rows:
            capture = Capture(r[9], r[10], r[11], r[12], r[13], r[14], r[15]) if r[9] else None
            result = PageResult(source=r[1], policy=PolicyRef(r[16], r[17], r[18], r[19]), status=PageStatus(r[5]),
                                clauses=tuple(clauses.get(r[0], ())), message=r[6], encoding=r[7],
                                context=json.loads(r[8]), capture=capture)
            out.append(StoredResult(run_id, r[2], r[3], r[4], result))
        return out


def _clause(row: Sequence[Any]) -> ClauseResult:
    cid, title, status, severity, message, remediation, term, evidence, suppression = row
    return ClauseResult(id=cid, title=title, status=ClauseStatus(status), severity=Severity(severity),
                        message=message, remediation=remediation, term=term,
                        evidence=tuple(Evidence(**e) for e in json.loads(evidence)),
                        suppression=Suppression(**json.loads(suppression)) if suppression else None)


class RunRecorder:
    """Writes one run's results as they arrive; ``finish`` or ``interrupt`` gives the run its final status."""

    def __init__(self, store: Store, run_id: int, hashes: dict[str, str]):
        self.store, self.run_id, self.hashes = store, run_id, hashes
        self.position = 0

    def add(self, results: Iterable[PageResult]) -> None:
        """Write results in one transaction: each with all its clauses, or none of them."""
        batch = list(results)
        if not batch:
            return
        c = self.store.conn
        with self.store._errors(), c.transaction():
            for result in batch:
                self._insert(c, result)
            c.execute("UPDATE runs SET results = ? WHERE id = ?", (self.position, self.run_id))

    def _insert(self, c: Connection, result: PageResult) -> None:
        cap = result.capture
        original = result.context.get("original") if isinstance(result.context, dict) else None
        original = original if isinstance(original, dict) else {}
        rid = c.insert(
            "INSERT INTO results (run_id, position, source, page_key, site, policy_id, policy_sha256, status, "
            "message, encoding, original, context, content_sha256, content_length, fetched_at, warc_file, "
            "warc_offset, warc_length, warc_record_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.run_id, self.position, result.source, page_key(result.source), site_of(result.source),
             result.policy.id, self.hashes[result.policy.id], result.status.value, result.message, result.encoding,
             original.get("url") or original.get("source"),
             json.dumps(result.context, sort_keys=True, ensure_ascii=False),
             cap.sha256 if cap else None, cap.length if cap else None, cap.fetched_at if cap else None,
             cap.archive if cap else None, cap.offset if cap else None, cap.record_length if cap else None,
             cap.record_id if cap else None))
        self.position += 1
        c.executemany(
            "INSERT INTO clause_results (result_id, position, clause_id, title, status, severity, message, "
            "remediation, term, evidence, suppression) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(rid, i, cl.id, cl.title, cl.status.value, cl.severity.value, cl.message, cl.remediation, cl.term,
              json.dumps([e.to_dict() for e in cl.evidence], ensure_ascii=False),
              json.dumps(asdict(cl.suppression), ensure_ascii=False) if cl.suppression else None)
             for i, cl in enumerate(result.clauses)])

    def finish(self) -> None:
        self._close(COMPLETE)

    def interrupt(self) -> None:
        self._close(INTERRUPTED)

    def _close(self, status: str) -> None:
        c = self.store.conn
        with self.store._errors(), c.transaction():
            c.execute("UPDATE runs SET status = ?, finished_at = ? WHERE id = ?", (status, now(), self.run_id))
