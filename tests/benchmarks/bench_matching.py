"""Benchmark OriginalIndex: build time, match throughput, precision and recall.

Run as ``python tests/benchmarks/bench_matching.py [--originals N] [--pages M]``.
Not a test (pytest collects ``test_*.py`` only): numbers depend on the machine.

The data is synthetic and seeded: originals are titles and bodies drawn from
a Zipf-weighted vocabulary (a few hundred frequent English words, a long tail
of made-up ones), at news-like lengths. Republished pages are derived from
some originals in the ways partners really edit copies, plus unrelated pages
that must match nothing. Times are also given as ratios to a baseline
measured in the same run (merely hashing the shingles of the same texts), so
runs on different machines can be compared.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

try:
    import resource
except ImportError:  # not on Windows
    resource = None  # type: ignore[assignment]

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from compliance.document.article import Article  # noqa: E402
from compliance.originals.matching import OriginalIndex  # noqa: E402

COMMON_WORDS = """
the of and to a in for is on that by this with you it not or be are from at as your all have new
more an was we will home can us about if page my has search free but our one other do no information
time they site he up may what which their news out use any there see only so his when contact here
business who web also now help get pm view online first am been would how were me services some these
click its like service than find price date back top people had list name just over state year day
into email two health world next used go work last most products music buy data make them should
product system post her city add policy number such please available copyright support message after
best software then jan good video well where info rights public books high school through each links
she review years order very privacy book items company read group need many user said does set under
general research university january mail full map reviews program life know games way days management
part could great united hotel real item international center ebay must store travel comments made
development report off member details line terms before hotels did send right type because local those
using results office education national car design take posted internet address community within
states area want phone dvd shipping reserved subject between forum family long based code show even
black check special prices website index being women much sign file link open today technology south
case project same pages uk version section own found sports house related security both county american
photo game members power while care network down computer systems three total place end following
download him without per access think north resources current posts big media law control water history
pictures size art personal since including guide shop directory board location change white text small
rating rate government children during usa return students shopping account times sites level digital
profile previous form events love old john main call hours image department title description non insurance
""".split()
SYLLABLES = "ka ro mi tan vel or pra ste lu den qui bar sol ent ha ni gre mon tas fi lo ber cor ad win ul".split()


def build_vocabulary(rng: random.Random, size: int = 20_000) -> tuple[list[str], list[float]]:
    """Words and their cumulative Zipf weights."""
    rare: set[str] = set()
    while len(rare) < size - len(COMMON_WORDS):
        rare.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    words = COMMON_WORDS + sorted(rare)
    rng.shuffle(words[len(COMMON_WORDS):])
    cumulative: list[float] = []
    total = 0.0
    for rank in range(len(words)):
        total += 1.0 / (rank + 1) ** 1.05  # Zipf
        cumulative.append(total)
    return words, cumulative


class TextMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words, self.cumulative_weights = build_vocabulary(rng)

    def sentence(self, low: int, high: int) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cumulative_weights, k=self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def title(self) -> str:
        return self.sentence(6, 14).rstrip(".")

    def paragraph(self) -> str:
        return " ".join(self.sentence(8, 25) for _ in range(self.rng.randint(1, 4)))

    def body(self) -> tuple[str, ...]:
        return tuple(self.paragraph() for _ in range(self.rng.randint(8, 25)))


def make_originals(maker: TextMaker, count: int) -> list[Article]:
    return [
        Article(
            url=f"https://www.licensor.example/news/story-{1_000_000 + n}",
            title=maker.title(),
            authors=("Reporter",),
            published="2024-01-01",
            paragraphs=maker.body(),
            links=(),
            article_id=str(1_000_000 + n),
        )
        for n in range(count)
    ]


def edit_headline(rng: random.Random, maker: TextMaker, title: str) -> str:
    words = title.split()
    for _ in range(rng.randint(0, 1)):  # swap in a synonym-ish word
        words[rng.randrange(len(words))] = rng.choice(maker.words[:200])
    edited = " ".join(words).upper() if rng.random() < 0.2 else " ".join(words)
    return ("Exclusive: " + edited) if rng.random() < 0.2 else edited


def style_edit(paragraph: str) -> str:
    return paragraph.replace(" the ", " The ").replace(".", " .", 1)


KINDS = (
    "copy, canonical declared",
    "edited headline, end trimmed",
    "new headline, end trimmed, paragraph added",
    "same headline, first 3 paragraphs",
    "new headline, credit link only",
    "new headline, 2 paragraphs kept, 3 new (hard)",
)


def make_pages(
    rng: random.Random, maker: TextMaker, originals: list[Article], count: int
) -> list[tuple[Article, tuple, str | None, str]]:
    """(page, explicit_links, expected original URL or None, kind)."""
    derived = count * 4 // 5
    sources = rng.sample(originals, derived)
    pages: list[tuple[Article, tuple, str | None, str]] = []
    for number, original in enumerate(sources):
        kind = number % len(KINDS)
        body = list(original.paragraphs)
        links: tuple = ()
        title = maker.title()
        if kind == 0:
            title = original.title
            body = [style_edit(p) for p in body] + ["This story was originally published by the licensor."]
            links = (("canonical", original.url.replace("https://www.", "http://") + "?utm_source=feed"),)
        elif kind == 1:
            title = edit_headline(rng, maker, original.title)
            body = body[: max(3, len(body) - rng.randint(1, 3))]
        elif kind == 2:
            body = body[: max(3, len(body) - 2)]
            body.insert(rng.randrange(len(body)), maker.paragraph())
        elif kind == 3:
            title = original.title
            body = body[:3]
        elif kind == 4:
            body = [style_edit(p) for p in body]
            links = (("link", original.url + "/"),)
        else:
            body = body[:2] + [maker.paragraph() for _ in range(3)]
        page = Article(url=None, title=title, authors=(), published=None, paragraphs=tuple(body), links=())
        pages.append((page, links, original.url, KINDS[kind]))
    for _ in range(count - derived):
        page = Article(url=None, title=maker.title(), authors=(), published=None, paragraphs=maker.body(), links=())
        pages.append((page, (), None, "unrelated (must match nothing)"))
    rng.shuffle(pages)
    return pages


def shingle_baseline(texts: list[tuple[str, ...]]) -> float:
    """Seconds to merely hash the 5-word shingles of ``texts``."""
    word = re.compile(r"\w+")
    start = time.perf_counter()
    for paragraphs in texts:
        words = word.findall(" ".join(paragraphs).casefold())
        set(map(hash, zip(*(words[i:] for i in range(5)))))
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--originals", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    maker = TextMaker(rng)
    originals = make_originals(maker, args.originals)
    pages = make_pages(rng, maker, originals, args.pages)
    words = sum(len(" ".join(o.paragraphs).split()) for o in originals)
    print(f"originals: {len(originals):,} ({words / len(originals):.0f} words each on average)")
    print(f"pages:     {len(pages):,} ({sum(1 for _, _, want, _ in pages if want):,} derived from originals)")

    build_base = shingle_baseline([o.paragraphs for o in originals])
    start = time.perf_counter()
    index = OriginalIndex(originals)
    build = time.perf_counter() - start

    match_base = shingle_baseline([page.paragraphs for page, *_ in pages])
    start = time.perf_counter()
    results = [index.match(page, links) for page, links, _, _ in pages]
    matching = time.perf_counter() - start

    def is_right(result, want: str | None) -> bool:
        return (result is None) if want is None else (result is not None and result.original.url == want)

    correct = sum(1 for r, (_, _, want, _) in zip(results, pages) if r and want and r.original.url == want)
    returned = sum(1 for r in results if r)
    expected = sum(1 for _, _, want, _ in pages if want)

    print(f"index build:  {build:6.2f} s   ({build / build_base:4.1f}x the baseline,"
          f" hashing the originals' shingles: {build_base:.2f} s)")
    print(f"matching:     {matching:6.2f} s   ({matching / match_base:4.1f}x the baseline,"
          f" hashing the pages' shingles: {match_base:.3f} s)")
    print(f"throughput:   {len(pages) / matching:8.0f} pages/s")
    print(f"precision:    {correct / returned if returned else 1.0:.4f}  ({correct} correct of {returned} returned)")
    print(f"recall:       {correct / expected if expected else 1.0:.4f}  ({correct} of {expected} derived pages)")
    print("by kind of page:")
    for kind in (*KINDS, "unrelated (must match nothing)"):
        rows = [(r, want) for r, (_, _, want, k) in zip(results, pages) if k == kind]
        right = sum(is_right(r, want) for r, want in rows)
        methods: dict[str, int] = {}
        for r, _ in rows:
            methods[r.method if r else "none"] = methods.get(r.method if r else "none", 0) + 1
        how = ", ".join(f"{m} {n}" for m, n in sorted(methods.items()))
        print(f"  {kind:<48} {right:4d}/{len(rows):<4d} right   ({how})")
    for r, (_, _, want, kind) in zip(results, pages):
        if r and r.original.url != want:
            print(f"  wrong ({kind}): {r.method} {r.score:.2f} {r.detail[:140]}")
    if resource is not None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory:  {peak:.0f} MiB (whole process, test data included)")


if __name__ == "__main__":
    main()
