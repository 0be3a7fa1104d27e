"""``compliance diff``, ``history`` and ``evidence``: reading a results store that ``check --store`` wrote."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from compliance.errors import UsageError

STORE_HELP = ("The results store: a SQLite file or a postgresql:// URL (default: `store` in the configuration "
              "file).")


class AuditFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"


def _store_spec(store: Optional[str]) -> str:
    if store:
        return store
    from compliance.cli.configfile import load

    cfg = load()
    if cfg is not None and cfg.values.get("store"):
        return str(cfg.values["store"])
    raise UsageError("no results store given: add --store PATH (the file `compliance check --store` wrote), "
                     "or set `store` in compliance.toml")


def _open(store: Optional[str]):
    from compliance.store.backends import parse_location
    from compliance.store.database import Store

    spec = _store_spec(store)
    location = parse_location(spec)
    if location.kind == "sqlite" and not Path(location.target).exists():
        raise UsageError(f"{location.target}: no such results store (record a run into it with "
                         "`compliance check … --store`)")
    return Store(spec)


def _emit(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


def diff(
    runs: Optional[list[int]] = typer.Argument(None, metavar="[RUN_A RUN_B]",
                                               help="The older and the newer run (default: the last two complete "
                                                    "runs)."),
    store: Optional[str] = typer.Option(None, "--store", metavar="PATH|URL", help=STORE_HELP),
    fmt: AuditFormat = typer.Option(AuditFormat.text, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file."),
    exit_code: bool = typer.Option(False, "--exit-code",
                                   help="Exit with status 1 when a page newly fails (as `git diff --exit-code`)."),
) -> None:
    """What changed between two audits: pages newly failing, fixed, new, gone, or changed; per clause."""
    from compliance.store.diff import compare
    from compliance.store.render import render

    if runs and len(runs) != 2:
        raise UsageError("diff takes two run numbers (older, newer), or none for the last two complete runs")
    with _open(store) as opened:
        data = compare(opened, *(runs or (None, None)))
    for side in ("from", "to"):
        if data[side]["status"] != "complete":
            sys.stderr.write(f"compliance: warning: run {data[side]['id']} is {data[side]['status']}: pages it did "
                             "not reach count as new or gone\n")
    _emit(render("diff", fmt.value, data), output)
    raise typer.Exit(1 if exit_code and data["newly_failing"] else 0)


def history(
    store: Optional[str] = typer.Option(None, "--store", metavar="PATH|URL", help=STORE_HELP),
    site: Optional[str] = typer.Option(None, "--site", metavar="HOST",
                                       help="One site's pages, run after run (the host as `history` lists it)."),
    page: Optional[str] = typer.Option(None, "--page", metavar="SOURCE", help="One page's verdicts, run after run."),
    last: Optional[int] = typer.Option(None, "--last", min=1, metavar="N", help="Only the last N complete runs."),
    fmt: AuditFormat = typer.Option(AuditFormat.text, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file."),
) -> None:
    """Each site's compliance run after run (or one site's pages, or one page's clauses)."""
    from compliance.store.history import history as build
    from compliance.store.render import render

    with _open(store) as opened:
        data = build(opened, site=site, page=page, last=last)
    if site is not None and not data["sites"]:
        sys.stderr.write(f"compliance: warning: no complete run checked a page of {site!r} "
                         "(`compliance history` lists the sites)\n")
    _emit(render("history", fmt.value, data), output)


def evidence(
    source: str = typer.Argument(..., metavar="SOURCE", help="The page: its URL or path, as the run named it."),
    output: Path = typer.Option(..., "--output", "-o", metavar="DIR_OR_ZIP",
                                help="The folder to write, or a file ending in .zip."),
    run: Optional[int] = typer.Option(None, "--run", metavar="ID",
                                      help="The run whose verdict to prove (default: the latest complete run "
                                           "that checked the page)."),
    store: Optional[str] = typer.Option(None, "--store", metavar="PATH|URL", help=STORE_HELP),
    screenshot: bool = typer.Option(True, "--screenshot/--no-screenshot",
                                    help="Add screenshot.png, the page as headless Chromium draws it offline "
                                         "(needs the render extra and Chromium; skipped with a warning "
                                         "otherwise)."),
) -> None:
    """Write what a licensor sends a republisher: the page as fetched (WARC), the verdicts, the policy, hashes."""
    from compliance.store import evidence as bundles

    with _open(store) as opened:
        made = bundles.bundle(opened, source, run, screenshot=screenshot)
    written = bundles.write(made.files, str(output), made.read_at)
    for warning in made.warnings:
        sys.stderr.write(f"compliance: warning: {warning}\n")
    sys.stderr.write(f"compliance: evidence for {source} written to {written} ({len(made.files)} files)\n")
