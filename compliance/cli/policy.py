"""``compliance policy …``: list, validate, explain policies."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List

import typer

from compliance.cli.help import Command, Group, epilog

policy_app = typer.Typer(help="List, validate and explain policies.", no_args_is_help=True, cls=Group)


class CreditPosition(str, Enum):
    top = "top"
    bottom = "bottom"
    anywhere = "anywhere"


@policy_app.command("list", cls=Command)
def policy_list() -> None:
    """List the built-in policies."""
    from compliance.policy.builtin import builtin_names
    from compliance.policy.load import load_policy

    for name in builtin_names():
        p = load_policy(name)
        typer.echo(f"{p.id:<28} {p.title}  ({sum(c.enabled for c in p.clauses)} clauses)")


@policy_app.command("validate", cls=Command, epilog=epilog([
    ("compliance policy validate rules/*.yaml", "every policy file; every problem in each, at file:line:col")],
    {0: "every file is a sound policy", 2: "at least one file has problems (all are listed)"}))
def policy_validate(files: List[str] = typer.Argument(..., metavar="FILE_OR_NAME")) -> None:
    """Load and validate every policy (or override) file given; report every problem in all of them, exit 2 if any."""
    from compliance.errors import Collector, PolicyError
    from compliance.policy.load import load_policy

    problems = Collector()
    for f in files:
        try:
            override = _override_targets(f)
            if override is not None:
                typer.echo(_validate_override(f, override))
                continue
            p = load_policy(f)
        except PolicyError as exc:
            problems.add(exc)
            continue
        typer.echo(f"ok: {f} (policy {p.id}, {len(p.clauses)} clauses)")
    problems.check(PolicyError)


def _override_targets(file: str) -> list[str] | None:
    """The policies a site's override file names (a mapping with ``policy`` and no ``id``); None for anything else."""
    import yaml

    from compliance.inputs.files import read_text
    from compliance.policy.builtin import looks_like_file

    if not looks_like_file(file):
        return None
    try:
        data = yaml.safe_load(read_text(Path(file), "the file", ValueError))
    except Exception:  # noqa: BLE001 - unreadable or not YAML: the policy loader says what is wrong, and where
        return None
    if not (isinstance(data, dict) and "policy" in data and "id" not in data):
        return None
    raw = data["policy"]
    return [str(t) for t in (raw if isinstance(raw, list) else [raw])]


def _validate_override(file: str, targets: list[str]) -> str:
    """Check an override file whole, and against the built-in policies it names (their clause ids)."""
    from compliance.policy.builtin import builtin_names
    from compliance.policy.compose import load_override
    from compliance.runner import load_policies

    known = [t for t in targets if t in builtin_names()]
    if known:  # its shape and its clause ids, every problem at once
        load_policies(known, [file])
    else:  # a site's own policies are not known here: its shape only
        load_override(file)
    return f"ok: {file} (override of {', '.join(targets)})"


@policy_app.command("show", cls=Command, epilog=epilog([
    ("compliance policy show dcnf", "the DCNF terms in plain words, ready to paste into an e-mail"),
    ("compliance policy show my-policy.yaml --details", "with clause ids, sources and how each is checked")]))
def policy_show(
    name: str = typer.Argument(..., metavar="NAME|FILE"),
    details: bool = typer.Option(False, "--details", help="Add clause ids, sources, certainty and how each "
                                                          "clause is checked."),
) -> None:
    """Explain a policy in plain words: what a republisher must and should do (ready for a partner e-mail)."""
    from compliance.policy.describe import explain
    from compliance.policy.load import load_policy

    typer.echo(explain(load_policy(name), details=details), nl=False)


@policy_app.command("schema", cls=Command, epilog=epilog([
    ("compliance policy schema > policy.schema.json", "a copy for your editor's completion and validation"),
    ("compliance policy schema --override", "the schema of site override files")]))
def policy_schema_cmd(
    override: bool = typer.Option(False, "--override", help="The schema of override files instead."),
    write: bool = typer.Option(False, "--write", help="Regenerate the schema files shipped in compliance/schema/."),
    check: bool = typer.Option(False, "--check", help="Exit 1 if the shipped schema files are out of date."),
) -> None:
    """Print the JSON Schema of the policy language (or write the shipped copies)."""
    from compliance.authoring import schema_files

    if write:
        for path in schema_files.write():
            typer.echo(f"wrote {path}")
        return
    if check:
        stale = schema_files.stale()
        for name in stale:
            typer.echo(f"out of date: compliance/schema/{name} (run `compliance policy schema --write`)", err=True)
        raise typer.Exit(1 if stale else 0)
    name = "override.schema.json" if override else "policy.schema.json"
    typer.echo(schema_files.dumps(schema_files.generated()[name]), nl=False)


@policy_app.command("init", cls=Command, epilog=epilog([
    ("compliance policy init --licensor 'Example News' --terms-url https://example.org/republish "
     "--site example.org --credit 'Originally published by Example News' --credit-position top",
     "a policy and example pages from flags, without a question"),
    ("compliance policy init", "ask for what is missing (on a terminal)")]))
def policy_init(
    policy_id: str = typer.Option(None, "--id", metavar="ID", help="Policy id, e.g. example-news (also the file "
                                                                   "name; default: from the licensor's name)."),
    licensor: str = typer.Option(None, "--licensor", metavar="NAME", help="Who grants the license, e.g. "
                                                                          "\"Example News\"."),
    terms_url: str = typer.Option(None, "--terms-url", metavar="URL", help="URL of the republication terms."),
    site: str = typer.Option(None, "--site", metavar="DOMAIN",
                             help="The licensor's domain; republished pages must link to it."),
    byline: str = typer.Option(None, "--byline", metavar="FORM", help='The byline form (default: "Author Name, '
                                                                      'LICENSOR").'),
    credit: str = typer.Option(None, "--credit", metavar="TEXT", help='A required credit line, e.g. "Originally '
                                                                      'published by Example News".'),
    credit_position: CreditPosition = typer.Option(None, "--credit-position",
                                                   help="Where the credit line goes (default: top)."),
    logo: List[str] = typer.Option(None, "--logo", metavar="TEXT",
                                   help="Logo file-name fragment or alt text (repeatable)."),
    pixel: str = typer.Option(None, "--pixel", metavar="URL", help="Tracking pixel URL, or a distinctive part of it."),
    folder: Path = typer.Option(Path("."), "--dir", metavar="FOLDER",
                                help="Where to write <id>.yaml, policy.schema.json and examples/<id>/."),
    no_input: bool = typer.Option(False, "--no-input", help="Never ask; use the defaults for what was not given "
                                                            "(the default when standard input is not a terminal)."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing files."),
) -> None:
    """Scaffold a new policy and example pages from flags, asking on a terminal for what is missing."""
    from compliance.authoring.scaffold import Answers, slug, write
    from compliance.errors import UsageError
    from compliance.policy.load import load_policy

    interactive = not no_input and _interactive()
    missing = [flag for flag, value in (("--licensor", licensor), ("--terms-url", terms_url)) if not value]
    if missing and not interactive:
        why = "--no-input was given" if no_input else "standard input is not a terminal"
        raise UsageError(f"policy init cannot ask ({why}): give {' and '.join(missing)} (the rest have defaults; "
                         "see `compliance policy init --help`)")

    def ask(value, question: str, default: str = ""):
        if value is not None or not interactive:
            return value if value is not None else default
        return typer.prompt(question, default=default, show_default=bool(default)).strip()

    name = ask(licensor, "Licensor (who grants the license)")
    if not name:
        raise UsageError("the licensor's name is required (--licensor)")
    answers = Answers(
        id=ask(policy_id, "Policy id", default=slug(name)),
        licensor=name,
        terms_url=ask(terms_url, "URL of the terms"),
        site=ask(site, "Licensor's domain (pages must link to it; empty for none)"),
        byline=ask(byline, "Byline form (empty for none)", default=f"Author Name, {name}"),
        credit=ask(credit, "Required credit line (empty for none)"),
        logo=list(logo or []) if logo or not interactive else
        [x.strip() for x in ask(None, "Logo alt text or file names, comma-separated (empty for none)").split(",")
         if x.strip()],
        pixel=ask(pixel, "Tracking pixel URL (empty for none)"),
    )
    if answers.credit:
        answers.credit_position = credit_position.value if credit_position is not None else \
            ask(None, "Where does the credit line go (top, bottom, anywhere)", default="top")
    paths = write(answers, folder, force=force)
    policy = load_policy(str(paths[0]))
    for path in paths:
        typer.echo(f"wrote {path}")
    typer.echo(f"Policy {policy.id} has {len(policy.clauses)} clauses. Next: fill in the TODOs, replace the "
               f"example pages with real ones, and run `compliance policy test {paths[0]}`.")


def _interactive() -> bool:
    """Whether ``policy init`` may ask questions: only of a person at a terminal."""
    return sys.stdin.isatty()


@policy_app.command("test", cls=Command, epilog=epilog([
    ("compliance policy test", "every built-in policy against its example pages"),
    ("compliance policy test my-policy.yaml", "the examples in examples/my-policy/ beside it")],
    {0: "every example page gets the verdicts its header expects", 1: "at least one does not",
     2: "an example's header cannot be read"}))
def policy_test(
    targets: List[str] = typer.Argument(None, metavar="PATH|POLICY",
                                        help="Example folders or pages, policy files (their examples/<id>/ "
                                             "folder) or built-in names. Default: every built-in policy's examples."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List the examples that pass too."),
) -> None:
    """Check example pages against the verdicts their headers expect; exit 1 on any mismatch."""
    from compliance.authoring.example_pages import find_examples
    from compliance.authoring.policytest import (
        builtin_examples,
        examples_for,
        render,
        run_examples,
    )

    paths = []
    for target in targets or []:
        paths.extend(examples_for(target))
    if not targets:
        paths = find_examples(builtin_examples())
    run = run_examples(paths)
    typer.echo(render(run, verbose), nl=False)
    raise typer.Exit(0 if run.ok else 1)
