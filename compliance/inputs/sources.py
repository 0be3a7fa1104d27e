"""Turn command-line arguments into pages to check, and read their bytes.

Every argument the user typed must come back as at least one result: a path
that names nothing, or a folder with no pages in it, becomes a "missing"
input that reads as an error page, so a typo is reported rather than
silently dropped. Reading never raises for a page problem; the reason goes
into ``RawPage.error`` and the run carries on with the other pages.

Walking folders and ``**`` patterns never follows a symbolic link to a folder
(two links to ``.`` would make the walk endless), reports a folder it cannot
read as an error input instead of skipping it, and a page reached twice (a
link to it, two overlapping arguments) is checked once: duplicates are
compared by real path. Only regular files are read (``compliance.inputs.files``):
a named pipe, a device or a socket is an error, never a wait.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, Iterable, Iterator

from compliance.inputs.decode import not_html_reason
from compliance.inputs.files import FileProblem, megabytes, read_bytes
from compliance.inputs.warc import is_warc_name
from compliance.text.urls import is_web_url

if TYPE_CHECKING:  # the fetching code is imported where a URL is read: a run over files never needs it
    from compliance.inputs.fetch import Exchange, FetchLimits

__all__ = ["HTML_SUFFIXES", "PageInput", "RawPage", "expand_inputs", "iter_pages", "raw_from_fetch", "read_input"]

HTML_SUFFIXES = (".html", ".htm")

_DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_OTHER_URL = re.compile(r"([a-z][a-z0-9+.-]*)://", re.I)
_GLOB_CHARS = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class PageInput:
    """The page reference every stage passes along: what the page is called and where its bytes are.

    ``source`` is what reports show: a path as given or found, a URL, ``-``, or
    for a page inside a WARC archive the record's target URI. ``kind`` says how
    to read it:

    - ``file``: ``source`` is a local path;
    - ``url``: ``source`` is an http(s) URL, fetched when checked;
    - ``stdin``: standard input;
    - ``warc``: a response record of the archive ``warc`` starting at byte
      ``offset`` (``compliance.inputs.warc.read_record`` reads it back);
    - ``archive``: a WARC file named on the command line, expanded into its
      ``warc`` pages by ``iter_pages``;
    - ``missing``: nothing could be found for an argument; ``reason`` says why
      (when not given, it is worked out from ``source``).

    It is small, frozen and picklable: worker processes, a results store or a
    later run can read the same page again from it.
    """

    source: str
    kind: str
    warc: str | None = None
    offset: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class RawPage:
    """The bytes of one page, or the one-sentence reason they could not be had."""

    source: str
    data: bytes | None
    error: str | None = None
    http_charset: str | None = None
    final_url: str | None = None
    exchange: Exchange | None = None  # the HTTP request and response, for a page fetched from a URL
    # where the check asks for the page's linked stylesheets: the run's crawler, through
    # compliance.inputs.sitesheets.SheetLink; None: fetched by the check itself, or not at all
    sheets: Any = None


# -- expanding arguments -----------------------------------------------------


def expand_inputs(args: list[str]) -> list[PageInput]:
    """Expand URLs, files, folders and glob patterns, keeping the user's order; each page once."""
    inputs: list[PageInput] = []
    seen: set[tuple[str, str]] = set()
    for arg in args:
        for inp in _expand_one(arg):
            key = (inp.kind, os.path.realpath(inp.source) if inp.kind in ("file", "archive") else inp.source)
            if key not in seen:
                seen.add(key)
                inputs.append(inp)
    return inputs


def _expand_one(arg: str) -> list[PageInput]:
    if arg == "-":
        return [PageInput("-", "stdin")]
    if is_web_url(arg):
        return [PageInput(arg, "url")]
    unreadable: list[PageInput] = []
    if os.path.isdir(arg):
        pages = _pages_under(arg, unreadable)
    elif os.path.lexists(arg):
        return [PageInput(arg, "archive" if is_warc_name(arg) else "file")]  # the user named it: any suffix goes
    elif _GLOB_CHARS.search(arg):
        pages = _glob(arg, unreadable)
    else:
        pages = []
    found = [PageInput(path, "archive" if is_warc_name(path) else "file") for path in pages] + unreadable
    return found or [PageInput(arg, "missing")]


def _is_html_name(name: str) -> bool:
    return name.lower().endswith(HTML_SUFFIXES)


def _walk(top: str, unreadable: list[PageInput]) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk`` that never follows a link to a folder and reports each folder it cannot list."""

    def failed(exc: OSError) -> None:
        where = exc.filename or top
        unreadable.append(PageInput(where, "missing", reason=f"the folder could not be read ({_os_reason(exc)}), "
                                                             f"so its pages were not checked"))

    for root, dirs, files in os.walk(top, onerror=failed, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield root, dirs, files


def _pages_under(folder: str, unreadable: list[PageInput]) -> list[str]:
    """Every HTML file below ``folder``, skipping hidden folders and files."""
    pages = []
    for root, _, files in _walk(folder, unreadable):
        pages.extend(os.path.join(root, name) for name in files if _is_html_name(name) and not name.startswith("."))
    return sorted(pages)


def _glob(pattern: str, unreadable: list[PageInput]) -> list[str]:
    """Files matching a shell pattern (``*``, ``?``, ``[...]``, and ``**`` for any depth), hidden names only when
    the pattern spells the dot, links to folders never followed."""
    parts = pattern.split("/")
    fixed = 0
    while fixed < len(parts) - 1 and not _GLOB_CHARS.search(parts[fixed]):
        fixed += 1
    base = "/".join(parts[:fixed]) or ("/" if pattern.startswith("/") else ".")
    matcher = re.compile(_pattern_regex(parts[fixed:]))
    if not os.path.isdir(base):
        return []
    found = []
    for root, dirs, files in _walk(base, unreadable):
        for name in files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, base).replace(os.sep, "/")
            if matcher.fullmatch(rel) and os.path.isfile(path):
                found.append(path if fixed else os.path.relpath(path))
    return sorted(set(found))


def _pattern_regex(parts: list[str]) -> str:
    out = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "**":
            out.append("" if last else "(?:[^/.][^/]*/)*")  # any number of folders, hidden ones excluded
            continue
        out.append(_segment_regex(part) + ("" if last else "/"))
    return "".join(out)


def _segment_regex(segment: str) -> str:
    """One path segment of a shell pattern as a regex: ``*`` and ``?`` never cross a ``/``."""
    out = [] if segment.startswith(".") else ["(?!\\.)"]  # like the shell: * does not match a leading dot
    i = 0
    while i < len(segment):
        c = segment[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = segment.find("]", i + 2)
            if end < 0:
                out.append(re.escape(c))
            else:
                body = segment[i + 1:end]
                body = "^" + body[1:] if body.startswith("!") else body
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


# -- reading -----------------------------------------------------------------


def read_input(
    inp: PageInput,
    *,
    max_bytes: int = _DEFAULT_MAX_BYTES,
    limits: FetchLimits | None = None,
    stdin: BinaryIO | None = None,
) -> RawPage:
    """Read one page's bytes; problems come back as ``RawPage.error``, never raised."""
    if inp.kind == "url":
        from compliance.inputs.fetch import FetchLimits

        return _read_url(inp.source, limits or FetchLimits(max_bytes=max_bytes))
    if inp.kind == "stdin":
        return _read_stdin(inp.source, stdin, max_bytes)
    if inp.kind == "missing":
        return RawPage(inp.source, None, error=inp.reason or _why_missing(inp.source))
    if inp.kind == "warc":
        return _read_warc_record(inp, max_bytes)
    if inp.kind == "archive":
        return RawPage(inp.source, None, error="a WARC archive is a collection of pages, not one page")
    return _read_file(inp.source, max_bytes)


def iter_pages(inputs: Iterable[PageInput], max_bytes: int = _DEFAULT_MAX_BYTES,
               ) -> Iterator[tuple[PageInput, RawPage | None]]:
    """Each input with its bytes when already in hand; WARC archives become their HTML pages, lazily.

    A page's bytes are None when they are read later, where the page is
    checked (files, URLs): only archive pages, read in one pass, carry theirs.
    """
    from compliance.inputs.warc import warc_pages

    for inp in inputs:
        if inp.kind != "archive":
            yield inp, None
            continue
        try:
            found = False
            for page in warc_pages(inp.source, max_bytes):
                found = True
                ref = PageInput(page.target_uri or f"{inp.source}@{page.offset}", "warc", warc=inp.source,
                                offset=page.offset)
                yield ref, _warc_raw(ref, page)
            if not found:
                yield PageInput(inp.source, "missing", reason="the WARC archive holds no HTML responses"), None
        except OSError as exc:
            yield PageInput(inp.source, "missing", reason=f"could not read the WARC archive ({_os_reason(exc)})"), None
        except Exception as exc:  # noqa: BLE001 - a damaged archive is one error result, the run goes on
            yield PageInput(inp.source, "missing", reason=f"the WARC archive is damaged ({exc})"), None


def _warc_raw(ref: PageInput, page) -> RawPage:
    if page.data is None:
        return RawPage(ref.source, None, error=page.error)
    return _checked(ref.source, page.data, http_charset=page.http_charset, final_url=page.target_uri or None)


def _read_warc_record(inp: PageInput, max_bytes: int) -> RawPage:
    from compliance.inputs.warc import read_record

    try:
        page = read_record(inp.warc or "", inp.offset or 0, max_bytes)
    except OSError as exc:
        return RawPage(inp.source, None, error=f"could not read the WARC archive ({_os_reason(exc)})")
    if page is None:
        return RawPage(inp.source, None, error=f"no HTML response record at byte {inp.offset} of {inp.warc}")
    return _warc_raw(inp, page)


def _checked(source: str, data: bytes, **extra: Any) -> RawPage:
    reason = not_html_reason(data)
    if reason is not None:
        return RawPage(source, None, error=reason, **extra)
    return RawPage(source, data, **extra)


def _read_url(url: str, limits: FetchLimits) -> RawPage:
    from compliance.inputs.fetch import FetchError, fetch

    try:
        return raw_from_fetch(url, fetch(url, limits))
    except FetchError as exc:
        return RawPage(url, None, error=str(exc))


def raw_from_fetch(url: str, fetched) -> RawPage:
    """A downloaded page as the checker reads it (``fetched`` is a ``compliance.inputs.fetch.Fetched``)."""
    return _checked(url, fetched.data, http_charset=fetched.http_charset, final_url=fetched.final_url,
                    exchange=fetched.exchange)


def _read_stdin(source: str, stream: BinaryIO | None, max_bytes: int) -> RawPage:
    if stream is None:
        stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        return RawPage(source, None, error="there is no standard input to read")
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        return RawPage(source, None, error=f"could not read standard input ({_os_reason(exc)})")
    if len(data) > max_bytes:
        return RawPage(source, None, error=f"standard input is larger than the {megabytes(max_bytes)} limit")
    return _checked(source, data)


def _read_file(path: str, max_bytes: int) -> RawPage:
    try:
        data = read_bytes(path, max_bytes)
    except FileProblem as exc:
        return RawPage(path, None, error=_page_reason(exc.strerror))
    return _checked(path, data)


def _page_reason(problem: str) -> str:
    if problem == "permission denied":
        return "permission denied reading the file"
    if problem == "the file does not exist":
        return problem
    if problem == "it is a folder, not a regular file":
        return "the path is a directory, not a page"
    if problem.startswith("it is "):
        return "the file is " + problem[len("it is "):]
    return f"could not read the file ({problem})"


def _why_missing(source: str) -> str:
    other_url = _OTHER_URL.match(source)
    if other_url:
        return f"{other_url.group(1)}:// addresses are not supported; use http or https"
    if os.path.isdir(source):
        return "the directory contains no .html or .htm pages"
    if _GLOB_CHARS.search(source) and not os.path.lexists(source):
        return "the pattern matches no files"
    if os.path.lexists(source):
        return "the path is not a readable page"
    return "no such file or directory"


def _os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
