"""The two databases a store can live in, behind one small connection type.

SQL is written once, with ``?`` placeholders and two dialect words in braces
(``{id}`` for an auto-numbered key, ``{bigint}``); each backend fills them in.
Every write is an explicit transaction. SQLite runs in WAL mode with a busy
timeout, and ``BEGIN IMMEDIATE`` takes the write lock when a transaction
starts, so a second writer waits its turn instead of failing half-way
through; readers are never blocked. PostgreSQL (psycopg 3, the ``postgres``
extra) runs concurrent transactions itself.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from compliance.errors import UsageError

BUSY_TIMEOUT_S = 60.0  # how long a writer waits for another run's transaction before giving up


class StoreError(UsageError):
    """The store cannot be opened or used; the message names it (without a password)."""


@dataclass(frozen=True)
class Location:
    kind: str  # "sqlite" | "postgresql"
    target: str  # a file path, or a PostgreSQL connection URL

    @property
    def display(self) -> str:
        """How messages name the store: a URL's password is never shown."""
        if self.kind == "sqlite":
            return self.target
        return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", self.target)


_PG_URL = re.compile(r"^postgres(?:ql)?(?:\+psycopg)?://", re.I)
_ANY_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def parse_location(spec: str) -> Location:
    """A file path, ``sqlite:///relative`` or ``sqlite:////absolute``, or ``postgresql://…``."""
    if _PG_URL.match(spec):
        return Location("postgresql", _PG_URL.sub("postgresql://", spec))
    if spec[:9].lower() == "sqlite://":
        rest = spec[9:]
        if not rest.startswith("/") or rest == "/":
            raise StoreError(f"{spec}: a SQLite URL is sqlite:///relative/path.db or sqlite:////absolute/path.db")
        return Location("sqlite", rest[1:])
    if _ANY_URL.match(spec):
        raise StoreError(f"{spec}: unsupported store (give a file path, sqlite:///… or postgresql://…)")
    return Location("sqlite", spec)


def rebase_location(spec: str, rebase) -> str:
    """``spec`` with its SQLite file path passed through ``rebase`` (a configuration file's folder, say).

    A plain path and the path of ``sqlite:///relative`` are rebased; an absolute SQLite URL, a
    PostgreSQL URL and anything ``parse_location`` would refuse are returned as they are.
    """
    if spec[:9].lower() == "sqlite://":
        rest = spec[10:]
        if spec[9:10] == "/" and rest and not rest.startswith("/"):
            return spec[:10] + rebase(rest)
        return spec
    if _ANY_URL.match(spec):
        return spec
    return rebase(spec)


class Connection:
    """What the store needs from a database: statements, inserts that return the new id, transactions."""

    words: dict[str, str] = {}
    name = ""

    def sql(self, text: str) -> str:
        return text.format(**self.words)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    def executemany(self, sql: str, rows: list[Sequence[Any]]) -> None:
        raise NotImplementedError

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        raise NotImplementedError

    def transaction(self) -> Any:
        raise NotImplementedError

    def lock_schema(self) -> None:
        """Inside a transaction: make a second process that migrates the same store wait for this one."""

    def tables(self) -> set[str]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.execute(sql, params).fetchall())

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None


class SQLite(Connection):
    words = {"id": "INTEGER PRIMARY KEY", "bigint": "INTEGER"}
    name = "SQLite"

    def __init__(self, path: str):
        import sqlite3

        folder = Path(path).expanduser().absolute().parent
        if not folder.is_dir():
            raise StoreError(f"{path}: cannot create the store, the folder {folder} does not exist")
        try:
            self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
            self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            mode = _write_ahead(self.db)
            self.db.execute("PRAGMA synchronous = NORMAL")  # with WAL: durable at checkpoints, never corrupt
            self.db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: not a results store ({exc})") from None
        if str(mode).lower() != "wal":
            raise StoreError(f"{path}: SQLite cannot use write-ahead logging here (journal mode {mode}); "
                             "put the store on a local disk")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.db.execute(self.sql(sql), tuple(params))

    def executemany(self, sql: str, rows: list[Sequence[Any]]) -> None:
        self.db.executemany(self.sql(sql), rows)

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        return int(self.db.execute(self.sql(sql), tuple(params)).lastrowid)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")  # the write lock now (or wait for it), never an upgrade deadlock
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def tables(self) -> set[str]:
        return {r[0] for r in self.query("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def close(self) -> None:
        self.db.close()


class PostgreSQL(Connection):
    words = {"id": "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "bigint": "BIGINT"}
    name = "PostgreSQL"

    def __init__(self, url: str):
        try:
            import psycopg
        except ImportError:
            raise StoreError("a postgresql:// store needs psycopg: pip install 'compliance[postgres]'") from None
        self._error = psycopg.Error
        try:
            self.db = psycopg.connect(url, autocommit=True, connect_timeout=15)
        except psycopg.Error as exc:
            shown = Location("postgresql", url).display
            raise StoreError(f"cannot connect to the store {shown}: {' '.join(str(exc).split())}") from None

    def sql(self, text: str) -> str:
        return super().sql(text).replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.db.execute(self.sql(sql), _no_nul(params))

    def executemany(self, sql: str, rows: list[Sequence[Any]]) -> None:
        with self.db.cursor() as cursor:
            cursor.executemany(self.sql(sql), [_no_nul(r) for r in rows])

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        return int(self.execute(sql + " RETURNING id", params).fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.db.transaction():
            yield

    def lock_schema(self) -> None:
        self.db.execute("SELECT pg_advisory_xact_lock(7214001)")  # any fixed number, the same for every run

    def tables(self) -> set[str]:
        return {r[0] for r in self.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}

    def close(self) -> None:
        self.db.close()


def _no_nul(params: Sequence[Any]) -> tuple[Any, ...]:
    """PostgreSQL text cannot hold U+0000; a page that smuggles one in gets U+FFFD there instead."""
    return tuple(p.replace("\x00", "\ufffd") if isinstance(p, str) else p for p in params)


def connect(location: Location) -> Connection:
    return SQLite(location.target) if location.kind == "sqlite" else PostgreSQL(location.target)


def _write_ahead(db: Any) -> str:
    """Switch a SQLite file to write-ahead logging. Two runs opening a new store at once race for it, and
    SQLite answers that race with "database is locked" without waiting on the busy timeout: retry."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            return db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
