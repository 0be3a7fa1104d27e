"""The store keeps what a run found, whole, in SQLite and PostgreSQL alike, and its schema is versioned."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from compliance.store import migrations
from compliance.store.backends import StoreError, parse_location
from compliance.store.database import PolicyText, Store

REF = PolicyRef("p", "P", "Licensor", "https://licensor.example/terms")
POLICY = PolicyText(REF, "id: p\ntitle: P\nlicensor: Licensor\nterms_url: https://licensor.example/terms\n")


def page(source: str, status: PageStatus = PageStatus.PASS, n: int = 3) -> PageResult:
    clauses = tuple(ClauseResult(f"c{i}", f"Clause {i}", ClauseStatus.PASS, Severity.ERROR, "fine", "")
                    for i in range(n))
    return PageResult(source, REF, status, clauses, capture=Capture("a" * 64, 10, "2026-01-01T00:00:00.000000Z"))


def record(url: str, results: list[PageResult], finish: bool = True) -> int:
    with Store(url) as store:
        rec = store.begin_run("test", ["site/"], [POLICY], {"jobs": 1})
        rec.add(results)
        if finish:
            rec.finish()
        return rec.run_id


# -- what goes in comes out ---------------------------------------------------------------------------------

def _text(nul: bool) -> st.SearchStrategy[str]:
    chars = st.characters(blacklist_categories=("Cs",), **({} if nul else {"blacklist_characters": "\x00"}))
    return st.text(chars, max_size=30)


def results(nul: bool) -> st.SearchStrategy[list[PageResult]]:
    text = _text(nul)
    evidence = st.builds(Evidence, note=text, line=st.none() | st.integers(1, 10**6), xpath=st.none() | text,
                         css=st.none() | text, snippet=st.none() | text, text=st.none() | text)
    suppression = st.none() | st.builds(Suppression, kind=st.sampled_from(["baseline", "waiver"]), file=text,
                                        fingerprint=text, line=st.none() | st.integers(1, 99), reason=text,
                                        approved_by=text, expires=text, expired=st.booleans())
    clause = st.builds(ClauseResult, id=st.from_regex(r"[a-z][a-z-]{0,8}", fullmatch=True), title=text,
                       status=st.sampled_from(list(ClauseStatus)), severity=st.sampled_from(list(Severity)),
                       message=text, remediation=text, term=text, evidence=st.lists(evidence, max_size=3).map(tuple),
                       suppression=suppression)
    capture = st.none() | st.builds(Capture, sha256=st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
                                    length=st.integers(0, 10**9), fetched_at=st.just("2026-12-01T10:00:00.123456Z"),
                                    archive=st.none() | st.just("/a/b.warc.gz"), offset=st.none() | st.integers(0, 2**40),
                                    record_length=st.none() | st.integers(1, 10**6), record_id=st.none() | text)
    context = st.fixed_dictionaries({}, optional={"authors": st.lists(text, max_size=2),
                                                  "original": st.none() | st.fixed_dictionaries({"url": text})})
    result = st.builds(PageResult, source=text.filter(bool) | st.just("https://www.site.example/a?b=1#c"),
                       policy=st.just(REF), status=st.sampled_from(list(PageStatus)),
                       clauses=st.lists(clause, max_size=4, unique_by=lambda c: c.id).map(tuple), message=text,
                       encoding=st.none() | st.just("utf-8"), context=context, capture=capture)
    return st.lists(result, min_size=1, max_size=4)


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("store") / "roundtrip.db")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(batch=results(nul=True))
def test_sqlite_gives_back_every_field_it_was_given(sqlite_store: str, batch: list[PageResult]) -> None:
    run_id = record(sqlite_store, batch)
    with Store(sqlite_store) as store:
        back = store.results(run_id)
    assert [b.result for b in back] == batch
    assert [b.capture for b in back] == [r.capture for r in batch]  # not part of PageResult equality


def test_postgresql_gives_back_every_field_it_was_given(postgres_url: str) -> None:
    @settings(max_examples=15, suppress_health_check=list(HealthCheck), deadline=None)
    @given(batch=results(nul=False))
    def roundtrip(batch: list[PageResult]) -> None:
        run_id = record(postgres_url, batch)
        with Store(postgres_url) as store:
            back = store.results(run_id)
        assert [b.result for b in back] == batch
        assert [b.capture for b in back] == [r.capture for r in batch]

    roundtrip()


def test_postgresql_turns_a_nul_character_into_a_replacement_character(postgres_url: str) -> None:
    run_id = record(postgres_url, [PageResult("a.html", REF, PageStatus.ERROR, message="bad\x00byte")])
    with Store(postgres_url) as store:
        assert store.results(run_id)[0].result.message == "bad\ufffdbyte"


def test_runs_list_their_inputs_policies_and_status(store_url: str) -> None:
    first = record(store_url, [page("site/a.html")])
    second = record(store_url, [page("site/a.html"), page("site/b.html")], finish=False)
    with Store(store_url) as store:
        runs = store.runs()
        info = store.run(first)
    assert [(r.id, r.status, r.results) for r in runs] == [(first, "complete", 1), (second, "running", 2)]
    assert info.inputs == ("site/",) and info.policies == (("p", POLICY.sha256),) and info.settings == {"jobs": 1}
    assert not runs[1].complete and runs[0].finished_at is not None


def test_the_same_policy_text_is_stored_once(store_url: str) -> None:
    record(store_url, [page("a.html")])
    record(store_url, [page("a.html")])
    with Store(store_url) as store:
        assert store.conn.one("SELECT COUNT(*) FROM policies") == (1,)
        assert store.policy_text(POLICY.sha256).text == POLICY.text


# -- the schema's versions ----------------------------------------------------------------------------------

V2 = migrations.Migration(2, "a test-only column", ("ALTER TABLE runs ADD COLUMN label TEXT",))


def test_an_older_store_is_upgraded_in_place_and_keeps_its_runs(store_url: str, monkeypatch) -> None:
    run_id = record(store_url, [page("a.html")])
    monkeypatch.setattr(migrations, "MIGRATIONS", (migrations.V1, V2))
    with Store(store_url) as store:
        assert store.version == 2
        assert [v for (v,) in store.conn.query("SELECT version FROM schema_migrations ORDER BY version")] == [1, 2]
        assert store.conn.one("SELECT label FROM runs WHERE id = ?", (run_id,)) == (None,)
        assert len(store.results(run_id)) == 1


def test_a_store_from_a_newer_version_is_refused(store_url: str, monkeypatch) -> None:
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", (migrations.V1, V2))
        Store(store_url).close()
    with pytest.raises(StoreError, match="schema version 2, newer than this version of compliance knows"):
        Store(store_url)


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("shopping list\n" * 200)
    with pytest.raises(StoreError, match="notes.db: not a results store"):
        Store(str(junk))


def test_a_store_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="the folder .* does not exist"):
        Store(str(tmp_path / "nowhere" / "audits.db"))


@pytest.mark.parametrize(("spec", "kind", "target"), [
    ("audits.db", "sqlite", "audits.db"),
    ("sqlite:///audits.db", "sqlite", "audits.db"),
    ("sqlite:////var/lib/audits.db", "sqlite", "/var/lib/audits.db"),
    ("postgres://u@db.internal/audits", "postgresql", "postgresql://u@db.internal/audits"),
    ("postgresql+psycopg://u@h/a", "postgresql", "postgresql://u@h/a"),
])
def test_store_locations(spec: str, kind: str, target: str) -> None:
    assert (parse_location(spec).kind, parse_location(spec).target) == (kind, target)


def test_a_password_in_a_store_url_is_never_shown() -> None:
    assert parse_location("postgresql://auditor:s3cret@db/audits").display == "postgresql://auditor:***@db/audits"


@pytest.mark.parametrize("spec", ["mysql://h/db", "sqlite://audits.db", "sqlite:///"])
def test_unusable_store_urls_are_explained(spec: str) -> None:
    with pytest.raises(StoreError, match="sqlite|unsupported"):
        parse_location(spec)


# -- several writers at once --------------------------------------------------------------------------------

def _writer(url: str, tag: str, pages: int) -> None:
    with Store(url) as store:  # a fresh store: every writer races to create its tables too
        rec = store.begin_run("test", [tag], [POLICY], {})
        for start in range(0, pages, 5):
            rec.add(page(f"https://{tag}.example/{i}") for i in range(start, start + 5))
        rec.finish()


def test_writers_in_separate_processes_lose_nothing(store_url: str) -> None:
    spawn = multiprocessing.get_context("spawn")
    procs = [spawn.Process(target=_writer, args=(store_url, tag, 60)) for tag in ("a", "b", "c")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    with Store(store_url) as store:
        runs = store.runs()
        assert sorted(r.status for r in runs) == ["complete"] * 3
        for r in runs:
            got = store.results(r.id)
            assert len(got) == 60 and all(len(g.result.clauses) == 3 for g in got)
            assert {g.site for g in got} == {f"{store.run(r.id).inputs[0]}.example"}


def _open_new_store(path: str, barrier) -> None:
    from compliance.store.backends import SQLite

    barrier.wait()  # every process opens the new file at the same moment
    SQLite(path).db.close()


@pytest.mark.slow
def test_runs_creating_one_new_sqlite_store_at_once_all_open_it(tmp_path: Path) -> None:
    """Switching a new file to write-ahead logging is a race SQLite answers with "locked" at once."""
    context = multiprocessing.get_context("spawn")
    failed = 0
    for attempt in range(8):
        path = str(tmp_path / f"new-{attempt}.db")
        barrier = context.Barrier(4)
        runs = [context.Process(target=_open_new_store, args=(path, barrier)) for _ in range(4)]
        for run in runs:
            run.start()
        for run in runs:
            run.join(120)
        failed += sum(run.exitcode != 0 for run in runs)
    assert failed == 0
