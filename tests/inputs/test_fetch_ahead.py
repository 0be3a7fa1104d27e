"""The fetch stage between the inputs and the checkers: pages in input order, ``window`` fetches kept in flight."""

from __future__ import annotations

from concurrent.futures import Future

from hypothesis import given, settings, strategies as st

from compliance.inputs.fetch import Fetched
from compliance.inputs.sites import fetch_ahead
from compliance.inputs.sources import PageInput, RawPage


class InstantCrawler:
    """Answers every fetch at once: a fast site, the case where the stage must still keep its window full."""

    def __init__(self) -> None:
        self.submitted: list[str] = []

    def submit(self, url: str) -> Future:
        self.submitted.append(url)
        done: Future = Future()
        done.set_result(Fetched(f"<html><body><p>{url}</p></body></html>".encode(), "utf-8", url, 200, "text/html"))
        return done


def items(kinds: list[str]) -> list[tuple[PageInput, RawPage | None]]:
    out = []
    for n, kind in enumerate(kinds):
        if kind == "url":
            out.append((PageInput(f"https://example.org/{n}", "url"), None))
        else:
            out.append((PageInput(f"page-{n}.html", "file"), RawPage(f"page-{n}.html", b"<p>x</p>")))
    return out


def test_a_slow_checker_always_has_window_fetches_ahead_of_it() -> None:
    """Fetches that finish at once must not drain the window: each page handed on is replaced by a new
    fetch, so a checker that takes its time never waits for a page fetched only when it asked for it."""
    crawler = InstantCrawler()
    stage = fetch_ahead(items(["url"] * 40), crawler, window=8, sheets=False)
    for taken in range(1, 33):
        next(stage)
        assert len(crawler.submitted) == taken + 7  # the page in hand and the 7 behind it: 8 in all
    assert len(list(stage)) == 8


@settings(max_examples=60, deadline=None)
@given(kinds=st.lists(st.sampled_from(["url", "file"]), max_size=30), window=st.integers(1, 6))
def test_pages_come_out_once_each_in_input_order_with_their_bytes(kinds: list[str], window: int) -> None:
    crawler = InstantCrawler()
    given_items = items(kinds)
    out = list(fetch_ahead(given_items, crawler, window=window, sheets=False))
    assert [inp for inp, _ in out] == [inp for inp, _ in given_items]
    for (inp, raw), kind in zip(out, kinds):
        assert raw is not None and (inp.source.encode() in raw.data if kind == "url" else raw.data == b"<p>x</p>")
    assert crawler.submitted == [inp.source for inp, _ in given_items if inp.kind == "url"]
