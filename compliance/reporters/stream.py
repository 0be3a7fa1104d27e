"""Writing results while the run goes on: one sink per output, fed page by page, finished once.

Three formats stream: ``text`` (each page's block as it is checked),
``jsonl`` (one JSON object per page × policy result — the same fields as an
entry of the JSON format's ``pages`` — flushed per line, then one line
``{"type": "summary", ...}``) and ``json`` (each page spooled to a temporary
file, the document assembled at the end, byte for byte what ``render`` gives).
Every other format needs the whole run: its sink keeps each result compactly
(evidence dropped from passing and not-applicable results, which reports
count but do not detail; for the HTML report, from every result it shows as
a short row: ``Keeper``) and renders once at the end.

Files are written to a temporary name beside the target and renamed when
finished, so an interrupted run leaves either the previous file or a complete
one (with the results so far), never half a file.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from compliance.atomic import AtomicFile
from compliance.errors import UsageError
from compliance.results.model import PageResult, PageStatus, RunResult

__all__ = ["STREAMING", "AtomicFile", "Keeper", "Sink", "brief", "compact", "open_sinks"]

STREAMING = ("text", "jsonl", "json")


_SETTLED = frozenset({"pass", "not_applicable"})


def compact(page: PageResult) -> PageResult:
    """A result as whole-run reports keep it in a large run: passing and not-applicable clauses lose their evidence.

    Reports of more than ``reporters.data.DETAIL_LIMIT`` results count passing pages
    without showing them, so only the evidence of what failed (or was excused) is kept.
    """
    if not any(c.evidence and c.status.value in _SETTLED for c in page.clauses):
        return page
    return replace(page, clauses=tuple(replace(c, evidence=()) if c.status.value in _SETTLED else c
                                       for c in page.clauses))


class Keeper:
    """What whole-run reports keep of a run, page by page: as little as the reports will show.

    Up to ``DETAIL_LIMIT`` results everything is kept (a small run is shown whole); after that each
    result is ``compact``. With ``brief`` (every whole-run report is the built-in HTML, which shows
    only the first ``DETAIL_LIMIT`` pages needing attention in full and the rest as one short row),
    a result beyond the first ``DETAIL_LIMIT`` of its verdict (fail, error, review) keeps no evidence
    at all, so memory grows by a short row a page however much evidence the failures carry.
    """

    def __init__(self, brief: bool = False) -> None:
        from collections import Counter

        self.brief = brief
        self.results: list[PageResult] = []
        self._seen: Counter[str] = Counter()

    def add(self, result: PageResult) -> None:
        from compliance.reporters.data import DETAIL_LIMIT, verdict_of

        verdict = verdict_of(result.status.value, (c.status.value for c in result.clauses))
        self._seen[verdict] += 1
        if len(self.results) < DETAIL_LIMIT:
            self.results.append(result)
        elif self.brief and self._seen[verdict] > DETAIL_LIMIT:
            self.results.append(brief(result))
        else:
            self.results.append(compact(result))


def brief(page: PageResult) -> PageResult:
    """A result as a short row of a large HTML report: its clauses without evidence."""
    if not any(c.evidence for c in page.clauses):
        return page
    return replace(page, clauses=tuple(replace(c, evidence=()) if c.evidence else c for c in page.clauses))


class Sink:
    """One output: ``page`` for each page's results in run order, then ``finish`` once."""

    needs_run = False  # True: finish() needs every (compact) result in ``run.pages``
    brief = False  # True: a whole-run sink content with ``Keeper``'s brief results

    def __init__(self, out: AtomicFile, options: Any) -> None:
        self.out = out
        self.options = options

    def page(self, results: list[PageResult]) -> None:
        """Called for each page with its results (one per policy)."""

    def finish(self, run: RunResult, summary: dict[str, Any], interrupted: bool) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        self.out.discard()


class TextSink(Sink):
    """The terminal format, page by page; with ``quiet`` only pages that fail or could not be checked."""

    def __init__(self, out: AtomicFile, options: Any, quiet: bool = False, labels_new: bool = False) -> None:
        super().__init__(out, options)
        from compliance.reporters import text

        self._text = text
        self._paint = text.painter(options.color)
        self.quiet = quiet
        self.labels_new = labels_new

    def page(self, results: list[PageResult]) -> None:
        for result in results:
            if self.quiet and result.status not in (PageStatus.FAIL, PageStatus.ERROR):
                continue
            self.out.write("\n".join(self._text.page_lines(result, self.options, self._paint,
                                                           labels_new=self.labels_new)) + "\n")
        self.out.flush()

    def finish(self, run: RunResult, summary: dict[str, Any], interrupted: bool) -> None:
        text = self._text.summary_text(summary, run, self._paint, self.options.fail_on_empty)
        if interrupted:
            text += "\n" + self._paint("Interrupted: only the pages above were checked.", "33;1")
        self.out.write(text + "\n")
        self.out.commit()


class JsonlSink(Sink):
    """One JSON object per line, flushed as written; the summary line last, marked ``"type": "summary"``."""

    def page(self, results: list[PageResult]) -> None:
        for result in results:
            self.out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        self.out.flush()

    def finish(self, run: RunResult, summary: dict[str, Any], interrupted: bool) -> None:
        self.out.write(json.dumps(summary_record(run, summary, interrupted), ensure_ascii=False) + "\n")
        self.out.commit()


def summary_record(run: RunResult, summary: dict[str, Any], interrupted: bool) -> dict[str, Any]:
    """The last line of ``jsonl``: what the JSON format has besides its pages, plus ``interrupted``."""
    record: dict[str, Any] = {"type": "summary", "schema_version": 1,
                              "tool": {"name": "compliance", "version": run.tool_version},
                              "policies": [p.to_dict() for p in run.policies], "summary": summary,
                              "interrupted": interrupted}
    if run.suppressions is not None:
        record["suppressions"] = run.suppressions.to_dict()
    return record


class JsonSink(Sink):
    """The JSON document, its pages spooled to disk as they come so memory stays flat."""

    def __init__(self, out: AtomicFile, options: Any) -> None:
        super().__init__(out, options)
        self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._count = 0

    def _spool_failed(self, exc: OSError) -> UsageError:
        """A full disk: the report cannot be made, and the previous one stays."""
        return UsageError(f"cannot write {self.out.path or 'the report'}: {exc.strerror or exc} (while spooling its "
                          f"pages); the previous file is unchanged")

    def page(self, results: list[PageResult]) -> None:
        for result in results:
            text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
            try:
                self._spool.write((",\n" if self._count else "") + _indent(text, "    "))
            except OSError as exc:  # a full disk: the report cannot be made, the previous one stays
                raise self._spool_failed(exc) from None
            self._count += 1

    def finish(self, run: RunResult, summary: dict[str, Any], interrupted: bool) -> None:
        head = {"schema_version": 1, "tool": {"name": "compliance", "version": run.tool_version},
                "policies": [p.to_dict() for p in run.policies], "summary": summary}
        text = json.dumps(head, indent=2, ensure_ascii=False)
        self.out.write(text[:-2] + ",\n")  # drop the closing "\n}" to append the pages
        if self._count:
            self.out.write('  "pages": [\n')
            try:
                self._spool.seek(0)
                while chunk := self._spool.read(1 << 20):
                    self.out.write(chunk)
            except OSError as exc:  # the spool could not be written out in full (a full disk)
                raise self._spool_failed(exc) from None
            self.out.write("\n  ]")
        else:
            self.out.write('  "pages": []')
        if run.suppressions is not None:
            tail = json.dumps({"suppressions": run.suppressions.to_dict()}, indent=2, ensure_ascii=False)
            self.out.write(",\n" + tail[2:-2])
        self.out.write("\n}\n")
        self._spool.close()
        self.out.commit()

    def abort(self) -> None:
        try:
            self._spool.close()
        except OSError:
            pass  # what could not be spooled is dropped with it
        super().abort()


def _indent(text: str, prefix: str) -> str:
    return prefix + text.replace("\n", "\n" + prefix)


class WholeRunSink(Sink):
    """Formats that need every result (HTML, Markdown, JUnit, SARIF, GitHub, templates): rendered at the end."""

    needs_run = True

    def __init__(self, out: AtomicFile, options: Any, format_name: str) -> None:
        super().__init__(out, options)
        self.format = format_name
        # the built-in HTML shows pages past the first DETAIL_LIMIT needing attention as short rows;
        # JUnit, SARIF, GitHub and Markdown (as many pages in full as fit) need every failure's evidence
        self.brief = format_name == "html" and options.template is None

    def finish(self, run: RunResult, summary: dict[str, Any], interrupted: bool) -> None:
        if self.options.template is not None:
            from compliance.reporters.templated import render_custom

            text = render_custom(run, self.options)
        else:
            from compliance.reporters import render

            text = render(self.format, run, self.options)
        self.out.write(text)
        self.out.commit()


def open_sinks(outputs: list[Any], options: Any, color_for: Callable[[Path | None], bool], *,
               quiet: bool = False, labels_new: bool = False) -> list[Sink]:
    """One sink per planned output (``compliance.reporters.outputs.Output``); files before standard output."""
    sinks: list[Sink] = []
    for out in sorted(outputs, key=lambda o: o.path is None):
        opts = replace(options, color=color_for(out.path) if out.format == "text" else False, template=out.template)
        target = AtomicFile(out.path)
        if out.format == "text" and out.template is None:
            sinks.append(TextSink(target, opts, quiet=quiet, labels_new=labels_new))
        elif out.format == "jsonl":
            sinks.append(JsonlSink(target, opts))
        elif out.format == "json":
            sinks.append(JsonSink(target, opts))
        else:
            sinks.append(WholeRunSink(target, opts, out.format))
    return sinks
