"""Where reports go: the main ``--format``/``--output`` report plus any ``--report FORMAT=PATH``.

All outputs are planned (and custom templates compiled) before any page is
checked, so a typo costs nothing; then every report is rendered from the one
``RunResult`` — pages are never checked twice.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from compliance.atomic import write_atomic
from compliance.errors import UsageError
from compliance.results.model import RunResult

TEMPLATE_SUFFIX = ".j2"


@dataclass(frozen=True)
class Output:
    """One report to write: a format name (or a template file) and a path (None: standard output)."""

    format: str
    path: Path | None
    template: Path | None = None

    @property
    def label(self) -> str:
        what = str(self.template) if self.template else self.format
        return f"{what} → {self.path if self.path else 'standard output'}"


def parse_report(spec: str, formats: tuple[str, ...]) -> Output:
    """``FORMAT=PATH`` (``-`` for standard output); FORMAT may also be a ``*.j2`` template file."""
    name, sep, target = spec.partition("=")
    name, target = name.strip(), target.strip()
    if not sep or not name or not target:
        raise UsageError(f"--report {spec!r}: expected FORMAT=PATH, e.g. html=report.html or junit=- "
                         f"(formats: {', '.join(formats)}, or a template file ending in .j2)")
    path = None if target == "-" else Path(target)
    if name.endswith(TEMPLATE_SUFFIX):
        return Output("template", path, Path(name))
    if name not in formats:
        raise UsageError(f"--report {spec!r}: unknown format {name!r} (choose from {', '.join(formats)}, "
                         f"or give a template file ending in .j2)")
    return Output(name, path)


def plan(fmt: str, output: Path | None, reports: list[str], template: Path | None,
         formats: tuple[str, ...]) -> list[Output]:
    """Check the requested outputs against each other and compile templates; raise UsageError early."""
    main = Output("template", output, template) if template else Output(fmt, output)
    outputs = [main] + [parse_report(spec, formats) for spec in reports]
    seen: dict[str, Output] = {}
    for out in outputs:
        key = "-" if out.path is None else str(out.path.resolve())
        if key in seen:
            where = "standard output" if out.path is None else str(out.path)
            raise UsageError(f"two reports would be written to {where} ({seen[key].label} and {out.label}); "
                             f"give each --report its own PATH, or --output for the main report")
        seen[key] = out
    for out in outputs:
        if out.template is not None:
            from compliance.reporters.templated import load_user_template

            load_user_template(out.template)
    return outputs


def refuse_overwriting(outputs: list[Output], read: Iterable[tuple[str | Path, str]]) -> None:
    """UsageError (exit 2, before anything is checked) when a report would be written over a file the run
    reads or writes otherwise: a page (named, or an .html file inside a folder being checked), a policy,
    an override, the baseline, the waivers, an original or catalog, a URL list, the archive."""
    import os

    targets = {os.path.realpath(o.path): o for o in outputs if o.path is not None}
    for path, what in read:
        real = os.path.realpath(path)
        hit = targets.get(real)
        if hit is None and os.path.isdir(real):
            hit = next((o for t, o in targets.items()
                        if t.startswith(real + os.sep) and t.lower().endswith((".html", ".htm"))), None)
            what = f"a page inside {path}, which is being checked" if hit else what
        if hit is not None:
            raise UsageError(f"the report {hit.path} would overwrite {what} ({path}); write the report elsewhere")


def emit(run: RunResult, outputs: list[Output], options, color_for: Callable[[Path | None], bool]) -> None:
    """Render each output from the same result and write it; files first, standard output last."""
    from compliance.reporters import render

    rendered = []
    for out in outputs:
        opts = replace(options, color=color_for(out.path) if out.format == "text" else False,
                       template=out.template)
        if out.template:
            from compliance.reporters.templated import (
                render_custom,  # Jinja2 only when a template is used
            )

            text = render_custom(run, opts)
        else:
            text = render(out.format, run, opts)
        rendered.append((out, text))
    for out, text in sorted(rendered, key=lambda item: item[0].path is None):
        write(text, out.path)


def write(text: str, path: Path | None) -> None:
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(path, text)
