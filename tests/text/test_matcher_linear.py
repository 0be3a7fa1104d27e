"""The name search does work in proportion to the text, however often the text names the person (issue 10).

A paragraph repeating "Daily Caller News Foundation By Jane Doe" used to cost a scan of the rest of the text
per match (656 KB: 4 s per policy; 10 MB: minutes). Counted in characters scanned, not in seconds: the
suite makes no timing assertions.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.text.names.matcher import NameMatcher


class CountingText(str):
    """A str that adds up how many characters its ``find`` and ``count`` calls look at."""

    scanned = 0

    def _span(self, start, end) -> int:
        start = 0 if start is None else max(0, start)
        end = len(self) if end is None else min(len(self), end)
        return max(0, end - start)

    def count(self, sub, start=None, end=None):  # noqa: D102
        CountingText.scanned += self._span(start, end)
        return str.count(self, sub, start, end)

    def find(self, sub, start=None, end=None):  # noqa: D102
        found = str.find(self, sub, start, end)
        CountingText.scanned += (found if found >= 0 else len(self)) - (start or 0)
        return found


def _all_matches(matcher: NameMatcher, text: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    while (m := matcher._search_from(text, position)) is not None:
        spans.append(m.span())
        position = max(m.end(), m.start() + 1)
    return spans


def test_searching_every_mention_scans_the_text_a_bounded_number_of_times():
    matcher = NameMatcher("Jane Doe")
    per_character = []
    for repeats in (2_000, 8_000):
        text = CountingText("daily caller news foundation by jane doe " * repeats)
        CountingText.scanned = 0
        assert len(_all_matches(matcher, text)) == repeats
        per_character.append(CountingText.scanned / len(text))
    assert per_character[1] < 1.2 * per_character[0]  # four times the text, four times the work at most
    assert per_character[1] < 40


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["jane doe", "doe", "jane", "x " * 300, "does ", "j. doe", "\n"]), max_size=60))
def test_the_windowed_search_finds_what_one_plain_scan_finds(pieces):
    matcher = NameMatcher("Jane Doe")
    text = " ".join(pieces)
    plain, position = [], 0
    while (m := matcher._regex.search(text, position)) is not None:
        plain.append(m.span())
        position = max(m.end(), m.start() + 1)
    assert _all_matches(matcher, text) == plain
