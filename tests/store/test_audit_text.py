"""The text of ``diff`` and ``history`` shows what a store holds inertly, by the rule every output shares.

A store is usually written by this tool, whose results are already inert, but it may predate that or
come from elsewhere: what ``diff`` and ``history`` print must not retitle a terminal, run a CI command
or reverse what a reader sees, whatever the store holds.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compliance.store.render import TITLES, diff_text, history_text
from compliance.text.inert import inert

HOSTILE = "https://user:secret@evil.example/a\x1b]0;owned\x07\n::error::x\u202egnp.txt"
RUN = {"id": 1, "started_at": "2026-11-01T10:00:00Z"}


def a_diff(source: str, message: str) -> dict:
    entry = {"source": source, "policy": "dcnf", "status_before": "pass", "status": "fail", "message": message,
             "clauses": [{"id": "logo", "severity": "error", "before": "pass", "after": "fail", "message": message}]}
    d = {name: [] for name, _ in TITLES}
    d.update({"from": RUN, "to": {**RUN, "id": 2}, "store": "audits.db", "newly_failing": [entry],
              "summary": {name: int(name == "newly_failing") for name, _ in TITLES}})
    return d


def a_history(site: str, source: str) -> dict:
    return {"runs": [RUN], "incomplete_runs": [], "sites": [{"site": site, "runs": [{"run": 1, "compliance": 0.5}]}],
            "pages": [{"source": source, "policy": "dcnf", "runs": [{"run": 1, "status": "fail", "failing": []}]}]}


def test_hostile_sources_and_messages_are_shown_as_the_shared_escaping_writes_them() -> None:
    for text in (diff_text(a_diff(HOSTILE, HOSTILE)), history_text(a_history(HOSTILE, HOSTILE))):
        assert inert(HOSTILE) in text
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "secret" not in text
        assert not any(line.startswith("::error::") for line in text.splitlines())


@given(st.text(), st.text())
def test_every_line_printed_is_one_the_shared_rule_leaves_as_it_is(source: str, message: str) -> None:
    for text in (diff_text(a_diff(source, message)), history_text(a_history(source, message))):
        for line in text.splitlines():
            assert inert(line) == line
