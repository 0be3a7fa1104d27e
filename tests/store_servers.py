"""Stores to test against: a SQLite file in a temporary folder, and a real PostgreSQL server when one exists.

PostgreSQL: ``COMPLIANCE_TEST_POSTGRES`` (a server URL; ``.ci/run`` starts one and sets it), or else a
throwaway server started here with Debian's ``initdb``/``pg_ctl`` on a free loopback port (as the
``postgres`` user when the tests run as root, since initdb refuses root). Without either the PostgreSQL
tests skip and say why. Each test gets a database of its own.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Iterator

import pytest


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: [int(x) for x in p.split("/")[4].split(".") if x.isdigit()])
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e '.[test]' (or '.[postgres]')")
    url = os.environ.get("COMPLIANCE_TEST_POSTGRES")
    if url:
        yield url
        return
    pg = _pg_bin()
    if pg is None:
        pytest.skip("no PostgreSQL server: set COMPLIANCE_TEST_POSTGRES=postgresql://… or install Debian's "
                    "postgresql package (initdb, pg_ctl); .ci/run does both")
    runas: list[str] = []
    # not under pytest's own temporary folder, which only its owner may enter
    folder = Path(tempfile.mkdtemp(prefix="compliance-pg-"))
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("initdb refuses to run as root and there is no `postgres` user to run it as")
        os.chown(folder, user.pw_uid, user.pw_gid)
        runas = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = folder / "data"
    done = subprocess.run([*runas, str(pg / "initdb"), "-D", str(data), "-A", "trust", "-U", "compliance",
                           "-E", "UTF8", "--no-sync"], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.skip(f"initdb failed, so the PostgreSQL tests cannot run: {done.stderr.strip()[-300:]}")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c full_page_writes=off"
    done = subprocess.run([*runas, str(pg / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w",
                           "-t", "60", "-o", options, "start"], capture_output=True, text=True, timeout=90)
    if done.returncode != 0:
        pytest.skip(f"the PostgreSQL server did not start: {done.stderr.strip()[-300:]}")
    try:
        yield f"postgresql://compliance@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*runas, str(pg / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], capture_output=True,
                       timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A new, empty database on the server, dropped after the test."""
    import psycopg

    name = f"compliance_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = postgres_server.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test against a SQLite file and a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "audits.db")
    return request.getfixturevalue("postgres_url")
