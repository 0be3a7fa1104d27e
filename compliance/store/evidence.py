"""What a licensor sends a republisher: the page as fetched, the verdicts, the policy, every file hash-checked.

A bundle is a folder, or a ZIP file when the name ends in ``.zip``:

  page.warc.gz       the page's WARC record(s) (response and request, or the file), replayable in pywb,
                     ReplayWeb.page or warcio
  page.html          the body exactly as it was checked: the record's payload
  verdicts.json      the page's results under each policy, as ``compliance check --format json`` has them
  verdicts.txt       the same, for a person, with the evidence of every clause
  policies/ID.yaml   each policy as applied (``extends`` and overrides resolved); its SHA-256 is in the manifest
  manifest.json      the tool and run, when the page was read, its SHA-256, the WARC record's id, date and
                     target, the policies' hashes, and every file's SHA-256
  SHA256SUMS         the files' hashes, for ``sha256sum -c SHA256SUMS``
  screenshot.png     the page as headless Chromium draws page.html, offline (when the render extra and
                     Chromium are installed; see ``--render``)
  README.txt         what the bundle holds and how to check it

Before anything is written the archived payload is hashed again and must equal the hash the store
recorded when the page was checked. The ZIP's entries carry the check's date, so a bundle made twice
from the same run has the same bytes (a screenshot aside: pass ``screenshot=False`` for that).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance.results.model import RunResult
from compliance.store.backends import StoreError
from compliance.store.database import RunInfo, Store, StoredResult
from compliance.store.keys import page_key

README = """This folder is the evidence for one page checked by compliance {version}.

page.warc.gz   the page as it was read on {when}: a standard WARC file (replay it with pywb,
               ReplayWeb.page or `warcio extract`); its payload is page.html, byte for byte
page.html      the bytes that were checked (SHA-256 {sha256})
verdicts.txt   what each license clause required, what was found on the page, and the verdict
verdicts.json  the same, in the JSON format of `compliance check --format json`
policies/      each license policy exactly as it was applied; its SHA-256 is in manifest.json
{screenshot}manifest.json  the run, the page's hash, the WARC record's id, and every file's SHA-256

Check the files: sha256sum -c SHA256SUMS
"""


def find(store: Store, source: str, run_id: int | None) -> tuple[RunInfo, list[StoredResult]]:
    """The page's results in the given run, or in the latest complete run that checked it."""
    key = page_key(source)
    if run_id is not None:
        run = store.run(run_id)
        found = store.results(run.id, page=key)
        if not found:
            raise StoreError(f"{store.display}: run {run_id} did not check {source}")
        return run, found
    for run in reversed([r for r in store.runs() if r.complete]):
        found = store.results(run.id, page=key)
        if found:
            return store.run(run.id), found
    raise StoreError(f"{store.display}: no complete run checked {source} (see `compliance history --page`)")


@dataclass(frozen=True)
class Bundle:
    files: dict[str, bytes]  # name -> bytes
    warnings: list[str]  # what could not be included, and why
    read_at: str  # when the page was read (the ZIP entries' date)


def bundle(store: Store, source: str, run_id: int | None = None, screenshot: bool = True) -> Bundle:
    """The evidence for ``source`` from run ``run_id`` (or the latest complete run that checked it), with a
    screenshot of the page where Chromium can draw one (``screenshot``)."""
    from compliance import __version__

    run, results = find(store, source, run_id)
    files: dict[str, bytes] = {}
    warnings: list[str] = []
    capture = results[0].capture
    page: dict[str, Any] = {"sha256": capture.sha256 if capture else None, "length": capture.length if capture else None,
                            "read_at": capture.fetched_at if capture else None}
    if capture is None:
        warnings.append(f"{source} could not be read in run {run.id} ({results[0].result.message}): the bundle "
                        "holds the verdict only")
    elif capture.archive and capture.offset is not None:
        page.update(_archived(capture, files))
    else:
        page.update(_still_here(results[0], files, warnings))
    if screenshot and "page.html" in files:
        picture = _screenshot(files["page.html"], warnings)
        if picture is not None:
            files["screenshot.png"] = picture
    pages = RunResult(pages=tuple(r.result for r in results), policies=tuple(r.result.policy for r in results),
                      tool_version=run.tool_version)
    files["verdicts.json"] = _json({"run": run.to_dict(), **pages.to_dict()})
    files["verdicts.txt"] = _verdicts_text(pages)
    policies = {}
    for r in results:
        text = store.policy_text(r.policy_sha256)
        files[f"policies/{text.ref.id}.yaml"] = text.text.encode("utf-8")
        policies[text.ref.id] = {"sha256": text.sha256, "title": text.ref.title, "terms_url": text.ref.terms_url}
    files["README.txt"] = README.format(version=run.tool_version, when=page["read_at"] or "(unknown)",
                                        sha256=page["sha256"] or "(none)",
                                        screenshot=SHOT_LINE if "screenshot.png" in files else "").encode("utf-8")
    manifest = {"tool": {"name": "compliance", "version": __version__, "checked_with": run.tool_version},
                "source": results[0].source, "run": run.to_dict(), "page": page, "policies": policies,
                "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}}
    files["manifest.json"] = _json(manifest)
    files["SHA256SUMS"] = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                                  for name, data in sorted(files.items())).encode("utf-8")
    return Bundle(files, warnings, page["read_at"] or run.started_at)


SHOT_LINE = ("screenshot.png the page as headless Chromium drew page.html, offline: nothing was fetched,\n"
             "               so images and styles from other addresses are missing\n")


def _screenshot(html: bytes, warnings: list[str]) -> bytes | None:
    """page.html as Chromium draws it with no network (the page's own bytes only), or None saying why."""
    from compliance.inputs.render import as_utf8, shared_renderer, unavailable_reason

    why = unavailable_reason()
    if why:
        warnings.append(f"no screenshot: {why}")
        return None
    try:
        rendered = shared_renderer().render(as_utf8(html), timeout=5.0, screenshot=True)
    except Exception as exc:  # noqa: BLE001 - the bundle is whole without its picture
        warnings.append(f"no screenshot: the browser failed ({type(exc).__name__}: {exc})")
        return None
    if rendered.screenshot is None:
        warnings.append("no screenshot: " + "; ".join(rendered.notes))
    return rendered.screenshot


def _archived(capture: Any, files: dict[str, bytes]) -> dict[str, Any]:
    from compliance.inputs.archive import read_record

    try:
        replayed = read_record(capture.archive, capture.offset)
    except (OSError, StopIteration, ValueError) as exc:
        raise StoreError(f"cannot read the page's record at offset {capture.offset} of {capture.archive}: "
                         f"{getattr(exc, 'strerror', None) or type(exc).__name__}") from None
    if hashlib.sha256(replayed.payload).hexdigest() != capture.sha256:
        raise StoreError(f"the record at offset {capture.offset} of {capture.archive} does not hold the bytes "
                         "that were checked (their SHA-256 differs): the archive was changed or replaced")
    files["page.warc.gz"] = replayed.raw
    files["page.html"] = replayed.payload
    return {"warc_record_id": replayed.headers.get("WARC-Record-ID"), "warc_date": replayed.headers.get("WARC-Date"),
            "warc_target_uri": replayed.headers.get("WARC-Target-URI"), "archive": capture.archive,
            "archive_offset": capture.offset}


def _still_here(result: StoredResult, files: dict[str, bytes], warnings: list[str]) -> dict[str, Any]:
    """Without an archive, a local file whose bytes still hash as they did is recorded now, as a resource."""
    from compliance.inputs.archive import build_records, file_uri

    capture = result.capture
    path = result.source
    try:
        data = Path(path).read_bytes() if os.path.isfile(path) else None
    except OSError:
        data = None
    if data is None or hashlib.sha256(data).hexdigest() != capture.sha256:
        warnings.append(f"run {result.run_id} did not archive its pages (--archive) and {path} no longer has the "
                        "bytes that were checked: the bundle holds their SHA-256 but not the page")
        return {}
    record = build_records(file_uri(path), data, capture.fetched_at)
    files["page.warc.gz"] = record.data
    files["page.html"] = data
    warnings.append(f"run {result.run_id} did not archive its pages; {path} still has the checked bytes "
                    "(SHA-256 verified), recorded now")
    return {"warc_record_id": record.record_id, "warc_date": capture.fetched_at, "warc_target_uri": file_uri(path)}


def _verdicts_text(run: RunResult) -> bytes:
    from compliance.reporters import ReportOptions, render

    return render("text", run, ReportOptions(verbose=True)).encode("utf-8")


def _json(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write(files: dict[str, bytes], out: str, when: str) -> str:
    """Write the bundle as a folder or, for a ``.zip`` name, a ZIP file dated ``when`` (ISO 8601)."""
    if out.lower().endswith(".zip"):
        stamp = (max(1980, int(when[:4])), int(when[5:7]), int(when[8:10]), int(when[11:13]), int(when[14:16]),
                 int(when[17:19])) if len(when) >= 19 else (1980, 1, 1, 0, 0, 0)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in sorted(files.items()):
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        _write_file(Path(out), buffer.getvalue())
        return out
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise StoreError(f"{out} exists and is not a folder; name a new folder, or a file ending in .zip")
    for name, data in files.items():
        _write_file(folder / name, data)
    return out


def _write_file(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from None
