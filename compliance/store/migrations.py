"""The store's schema, as numbered migrations applied in order and recorded in ``schema_migrations``.

A released migration is never edited: a change to the schema is a new, higher
number. Opening a store applies whatever it lacks inside one transaction that
holds the write lock, so two processes opening a new store at once cannot both
create it; a store written by a newer version (a number this code does not
know) is refused rather than misread.

Version 1, every table (times are ISO 8601 UTC text; JSON columns hold what the
JSON output would):

- ``runs``: one per ``compliance check --store``; ``status`` is ``running``
  until the run ends ``complete`` or ``interrupted`` (a killed run stays
  ``running``: incomplete either way), ``results`` counts rows written so far;
- ``run_inputs``: the run's page arguments, in order;
- ``policies``: each policy as applied (after ``extends`` and overrides), keyed
  by the SHA-256 of that text; ``run_policies`` says which a run used;
- ``results``: one per page x policy, in input order (``position``): the
  source as given, ``page_key`` (what makes it the same page in another run),
  ``site``, status and message, the matched original, the page bytes' SHA-256
  and length, when they were read, and the page's WARC record (file, offset,
  length, record id) when the run archived it;
- ``clause_results``: every clause's status, severity, message, remediation,
  term, evidence and suppression, in policy order.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.inputs.clock import now
from compliance.store.backends import Connection, StoreError


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


V1 = Migration(1, "runs, inputs, policies, page results and clause results", (
    """CREATE TABLE runs (
        id {id},
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted')),
        tool_version TEXT NOT NULL,
        settings TEXT NOT NULL,
        archive TEXT,
        results INTEGER NOT NULL DEFAULT 0,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL)""",
    """CREATE TABLE run_inputs (
        run_id {bigint} NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        argument TEXT NOT NULL,
        PRIMARY KEY (run_id, position))""",
    """CREATE TABLE policies (
        sha256 TEXT PRIMARY KEY,
        policy_id TEXT NOT NULL,
        title TEXT NOT NULL,
        licensor TEXT NOT NULL,
        terms_url TEXT NOT NULL,
        text TEXT NOT NULL)""",
    """CREATE TABLE run_policies (
        run_id {bigint} NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        policy_sha256 TEXT NOT NULL REFERENCES policies (sha256),
        file TEXT NOT NULL,
        PRIMARY KEY (run_id, position))""",
    """CREATE TABLE results (
        id {id},
        run_id {bigint} NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        source TEXT NOT NULL,
        page_key TEXT NOT NULL,
        site TEXT NOT NULL,
        policy_id TEXT NOT NULL,
        policy_sha256 TEXT NOT NULL REFERENCES policies (sha256),
        status TEXT NOT NULL,
        message TEXT NOT NULL,
        encoding TEXT,
        original TEXT,
        context TEXT NOT NULL,
        content_sha256 TEXT,
        content_length {bigint},
        fetched_at TEXT,
        warc_file TEXT,
        warc_offset {bigint},
        warc_length {bigint},
        warc_record_id TEXT,
        UNIQUE (run_id, position))""",
    "CREATE INDEX results_by_page ON results (page_key, policy_id, run_id)",
    "CREATE INDEX results_by_site ON results (site, run_id)",
    """CREATE TABLE clause_results (
        result_id {bigint} NOT NULL REFERENCES results (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        clause_id TEXT NOT NULL,
        title TEXT NOT NULL,
        status TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        remediation TEXT NOT NULL,
        term TEXT NOT NULL,
        evidence TEXT NOT NULL,
        suppression TEXT,
        PRIMARY KEY (result_id, position))""",
))

MIGRATIONS: tuple[Migration, ...] = (V1,)


def current_version(conn: Connection) -> int:
    if "schema_migrations" not in conn.tables():
        return 0
    row = conn.one("SELECT MAX(version) FROM schema_migrations")
    return int(row[0] or 0) if row else 0


def migrate(conn: Connection, display: str, migrations: tuple[Migration, ...] | None = None) -> int:
    """Bring the store up to the newest schema this code knows; return that version."""
    migrations = migrations or MIGRATIONS
    known = migrations[-1].version
    have = current_version(conn)
    if have == known:  # the common case, without taking the write lock
        return known
    if have > known:
        raise _newer(display, have, known)
    with conn.transaction():
        conn.lock_schema()
        conn.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)""")
        have = current_version(conn)
        if have > known:
            raise _newer(display, have, known)
        for m in migrations:
            if m.version > have:
                for statement in m.statements:
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                             (m.version, m.description, now()))
    return known


def _newer(display: str, have: int, known: int) -> StoreError:
    return StoreError(f"{display}: the store has schema version {have}, newer than this version of compliance "
                      f"knows ({known}); upgrade compliance to use it")

