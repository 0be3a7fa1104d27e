"""Reports rendered from Jinja2 templates: the HTML audit report, Markdown, and a user's own template.

One environment does all of it: sandboxed (a user's template can read the
data but not reach Python internals), ``StrictUndefined`` (a misspelt key is
an error, not an empty cell), and autoescaping for HTML/XML templates so
that nothing a page says can become markup. Jinja2 is imported here only,
so the CLI starts without it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from compliance.errors import UsageError
from compliance.reporters.data import (
    http_url,
    original_sentence,
    suppression_text,
    template_data,
    utf8_safe,
    xml_text,
)
from compliance.results.model import RunResult
from compliance.text.shorten import clip

MARKDOWN_LIMIT = 60_000  # characters; GitHub refuses comments over 65,536
OUTPUT_LIMIT = 64 * 1024 * 1024  # characters a user's template may produce
_MAX_REPEAT = 1_000_000  # the longest string or list a template may build with * (and ** may not explode)
_AUTOESCAPE = (".html.j2", ".htm.j2", ".xml.j2", ".svg.j2", ".html", ".htm", ".xml")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_WS = re.compile(r"\s+")


def render_html(run: RunResult, options: Any = None) -> str:
    # control characters are useless in a report and trip up strict parsers; drop them with lone surrogates
    return xml_text(_render("report.html.j2", run, options))


def render_markdown(run: RunResult, options: Any = None) -> str:
    """Markdown for a pull-request comment or job summary, cut to fit GitHub's size limit with a note."""
    data = template_data(run, options)
    attention = [p for p in data["ordered_pages"] if p["verdict"] in ("fail", "error", "review")]
    template = environment().get_template("report.md.j2")

    def attempt(shown: int) -> str:
        extra = {"shown_pages": attention[:shown], "hidden_pages": len(attention) - shown,
                 "limit_chars": MARKDOWN_LIMIT}
        return xml_text(template.render(**data, markdown=extra))

    text = attempt(len(attention))
    if len(text) <= MARKDOWN_LIMIT:
        return text
    low, high = 0, len(attention)  # the largest number of pages whose report still fits
    while low < high:
        mid = (low + high + 1) // 2
        if len(attempt(mid)) <= MARKDOWN_LIMIT:
            low = mid
        else:
            high = mid - 1
    return attempt(low)


def render_custom(run: RunResult, options: Any) -> str:
    """Render the user's ``--template`` file with the same data the built-in reports get.

    The output is collected piece by piece and refused past ``OUTPUT_LIMIT``, so a template's loop or a
    ``'x' * 10**9`` (refused by the environment itself) cannot fill the memory.
    """
    path = Path(options.template)
    template = load_user_template(path)
    try:
        pieces, size = [], 0
        for piece in template.generate(**template_data(run, options)):
            size += len(piece)
            if size > OUTPUT_LIMIT:
                raise UsageError(f"template {path}: its output is larger than the {OUTPUT_LIMIT // 2**20} MB limit")
            pieces.append(piece)
        return utf8_safe("".join(pieces))
    except UsageError:
        raise
    except MemoryError:
        raise UsageError(f"template {path}: rendering it ran out of memory") from None
    except Exception as exc:  # noqa: BLE001 - any template mistake becomes a message naming the file
        raise UsageError(f"template {path}: {_describe(exc)}") from None


def load_user_template(path: Path):
    """Compile a user's template (early, before any page is checked) or explain why it cannot be."""
    from jinja2 import TemplateError

    if not path.is_file():
        raise UsageError(f"template {path}: no such file")
    try:
        return environment(str(path.absolute().parent)).get_template(path.name)
    except (TemplateError, OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"template {path}: {_describe(exc)}") from None


def _render(name: str, run: RunResult, options: Any) -> str:
    return environment().get_template(name).render(**template_data(run, options))


def _describe(exc: Exception) -> str:
    line = getattr(exc, "lineno", None)
    where = f"line {line}: " if line else ""
    return f"{where}{type(exc).__name__}: {exc}"


@lru_cache(maxsize=8)
def environment(user_dir: str | None = None):
    """The one Jinja2 environment: the user's folder (if any) first, then the built-in ``reports/``."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined

    from compliance.resources import data_dir

    loaders = [_confined_loader(user_dir)] if user_dir else []
    loaders.append(FileSystemLoader(str(data_dir("reports"))))
    env = _bounded_sandbox()(
        loader=ChoiceLoader(loaders),
        autoescape=lambda name: bool(name) and name.endswith(_AUTOESCAPE),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(http_url=http_url, xml_text=xml_text, md=md_escape, md_code=md_code, clip=_clip,
                       oneline=oneline, suppression=suppression_text, original=original_sentence,
                       breakable=breakable)
    return env


def _bounded_sandbox():
    """The sandbox, with ``*`` and ``**`` bounded: ``'x' * 10**9`` is refused instead of taking gigabytes."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > _MAX_REPEAT:
                        raise SecurityError(f"a template may not build a sequence longer than {_MAX_REPEAT:,}")
            if operator == "**" and isinstance(right, int) and isinstance(left, (int, float)) and abs(left) > 1 \
                    and right > 64:
                raise SecurityError("a template may not raise a number to a power above 64")
            return super().call_binop(context, operator, left, right)

    return BoundedSandbox


def _confined_loader(folder: str):
    """Templates from ``folder`` only: no link out of it is followed, and no file read is larger than a template."""
    import os

    from jinja2 import BaseLoader, TemplateError, TemplateNotFound
    from jinja2.exceptions import SecurityError
    from jinja2.loaders import split_template_path

    from compliance.inputs.files import TEMPLATE_BYTES, inside, read_bytes

    class ConfinedLoader(BaseLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
            path = os.path.join(folder, *split_template_path(template))
            if not os.path.lexists(path):
                raise TemplateNotFound(template)
            if not inside(Path(path), Path(folder)):
                raise SecurityError(f"{template} is a link leading out of the template's folder {folder}")
            try:
                source = read_bytes(path, TEMPLATE_BYTES).decode("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise TemplateError(f"{template} cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
            mtime = os.path.getmtime(path)
            return source, path, lambda: os.path.exists(path) and os.path.getmtime(path) == mtime

    return ConfinedLoader()


# -- filters (also available to custom templates) ------------------------------------------


_BREAK_AFTER = re.compile(r"([/?&=#._-]+)")


def breakable(value: Any) -> Any:
    """HTML-escaped text with ``<wbr>`` after path and URL separators, so a long name wraps at them.

    On a phone a path like ``public/2025/05/a-very-long-page-name.html`` then breaks between its parts,
    never inside a word.
    """
    from markupsafe import Markup, escape

    parts = _BREAK_AFTER.split(str(value if value is not None else ""))  # separators at odd places
    return Markup("").join(escape(part) + (Markup("<wbr>") if i % 2 else "") for i, part in enumerate(parts))


def oneline(value: Any) -> str:
    """Collapse all whitespace (newlines too) to single spaces."""
    return _WS.sub(" ", str(value if value is not None else "")).strip()


def md_escape(value: Any) -> str:
    """Inline Markdown text that renders literally: one line, Markdown syntax and HTML neutralised.

    ``@`` gets a zero-width space after it so that page text cannot mention
    (and notify) a GitHub user from a pull-request comment.
    """
    text = oneline(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("@", "@\u200b")


def md_code(value: Any) -> str:
    """An inline code span that holds any text: fenced with more backticks than the text contains."""
    text = oneline(value)
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    # "|" would end a table cell even inside a code span; we only use code spans outside tables
    return f"{fence}{pad}{text}{pad}{fence}"


def _clip(value: Any, limit: int = 300) -> str:
    """The ``clip`` filter: long text cut to ``limit`` characters (300 unless a template says otherwise)."""
    return clip(value, limit)
