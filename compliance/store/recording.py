"""Record a ``compliance check`` run as it goes: results into the store, page records into the WARC archive.

``Recording`` hands the runner a function that sees each page's results the
moment they are in (``runner.run(each_page=…)``). It appends the page's WARC
records to the archive, points the results at them, and writes the results to
the store in one transaction. Leaving the ``with`` block normally marks the
run complete; leaving it on Ctrl-C or an error marks it interrupted, and what
was written so far stays, whole.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any, Sequence

from compliance.inputs.archive import ArchiveWriter
from compliance.results.model import PageResult
from compliance.store.database import PolicyText, RunRecorder, Store


class Recording:
    def __init__(self, *, store: str | None, archive: str | None, tool_version: str, inputs: Sequence[str],
                 policies: Sequence[Any], settings: dict[str, Any]):
        """``policies``: the loaded ``Policy`` objects; opens the store and archive now, so that a bad
        path stops the run (exit 2) before any page is read."""
        from compliance.policy.load import applied_text

        archive = os.path.abspath(archive) if archive else None  # evidence is read from anywhere later
        self.archive = ArchiveWriter(archive, tool_version) if archive else None
        self.store: Store | None = None
        self.recorder: RunRecorder | None = None
        try:
            if store:
                self.store = Store(store)
                texts = [PolicyText(p.ref, applied_text(p), p.file) for p in policies]
                self.recorder = self.store.begin_run(tool_version, inputs, texts, settings, archive=archive)
        except BaseException:
            self._close_files()
            raise

    @property
    def run_id(self) -> int | None:
        return self.recorder.run_id if self.recorder else None

    def each_page(self, results: list[PageResult]) -> list[PageResult]:
        kept = self._append(results) if self.archive is not None else results
        if self.recorder is not None:
            self.recorder.add(kept)
        return kept

    def _append(self, results: list[PageResult]) -> list[PageResult]:
        """Append the page's records once (its results under every policy share one capture)."""
        assert self.archive is not None
        done: dict[int, Any] = {}
        out = []
        for r in results:
            cap = r.capture
            if cap is None or cap.records is None:
                out.append(r)
                continue
            if id(cap) not in done:
                offset, length = self.archive.append(cap.records)
                done[id(cap)] = replace(cap, archive=self.archive.path, offset=offset, record_length=length,
                                        record_id=cap.records.record_id, records=None)
            out.append(replace(r, capture=done[id(cap)]))
        return out

    def __enter__(self) -> Recording:
        return self

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        try:
            if self.recorder is not None:
                if kind is None:
                    self.recorder.finish()
                else:
                    self.recorder.interrupt()
        finally:
            self._close_files()

    def _close_files(self) -> None:
        if self.archive is not None:
            self.archive.close()
        if self.store is not None:
            self.store.close()
