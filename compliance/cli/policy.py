"""``compliance policy …``: list, validate, explain policies."""

from __future__ import annotations

from pathlib import Path
from typing import List

import typer

policy_app = typer.Typer(help="List, validate and explain policies.", no_args_is_help=True)


@policy_app.command("list")
def policy_list() -> None:
    """List the built-in policies."""
    from compliance.policy.builtin import builtin_names
    from compliance.policy.load import load_policy

    for name in builtin_names():
        p = load_policy(name)
        typer.echo(f"{p.id:<28} {p.title}  ({sum(c.enabled for c in p.clauses)} clauses)")


@policy_app.command("validate")
def policy_validate(files: List[str] = typer.Argument(..., metavar="FILE_OR_NAME...")) -> None:
    """Load and validate every policy file given; report every problem in all of them, exit 2 if any."""
    from compliance.errors import Collector, PolicyError
    from compliance.policy.load import load_policy

    problems = Collector()
    for f in files:
        try:
            p = load_policy(f)
        except PolicyError as exc:
            problems.add(exc)
            continue
        typer.echo(f"ok: {f} (policy {p.id}, {len(p.clauses)} clauses)")
    problems.check(PolicyError)


@policy_app.command("show")
def policy_show(
    name: str = typer.Argument(..., metavar="NAME|FILE"),
    details: bool = typer.Option(False, "--details", help="Add clause ids, sources, certainty and how each "
                                                          "clause is checked."),
) -> None:
    """Explain a policy in plain words: what a republisher must and should do (ready for a partner e-mail)."""
    from compliance.policy.describe import explain
    from compliance.policy.load import load_policy

    typer.echo(explain(load_policy(name), details=details), nl=False)


@policy_app.command("schema")
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


@policy_app.command("init")
def policy_init(
    policy_id: str = typer.Option(None, "--id", help="Policy id, e.g. example-news (also the file name)."),
    licensor: str = typer.Option(None, "--licensor", help="Who grants the license, e.g. \"Example News\"."),
    terms_url: str = typer.Option(None, "--terms-url", help="URL of the republication terms."),
    site: str = typer.Option(None, "--site", help="The licensor's domain; republished pages must link to it."),
    byline: str = typer.Option(None, "--byline", help='The byline form, e.g. "Author Name, Example News".'),
    credit: str = typer.Option(None, "--credit", help='A required credit line, e.g. "Originally published by '
                                                     'Example News".'),
    credit_position: str = typer.Option(None, "--credit-position", help="Where the credit line goes: top, "
                                                                        "bottom or anywhere."),
    logo: List[str] = typer.Option(None, "--logo", help="Logo file-name fragment or alt text (repeatable)."),
    pixel: str = typer.Option(None, "--pixel", help="Tracking pixel URL, or a distinctive part of it."),
    folder: Path = typer.Option(Path("."), "--dir", help="Where to write <id>.yaml and examples/<id>/."),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt; leave out what was not given."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing files."),
) -> None:
    """Scaffold a new policy and example pages from flags, or by asking for what is missing."""
    from compliance.authoring.scaffold import Answers, slug, write
    from compliance.errors import UsageError
    from compliance.policy.load import load_policy

    def ask(value, question: str, default: str = "", required: bool = False):
        if value is not None or no_input:
            if required and not (value or default):
                raise UsageError(f"{question} is required (give it as a flag, or drop --no-input)")
            return value or default
        return typer.prompt(question, default=default, show_default=bool(default)).strip()

    name = ask(licensor, "Licensor (who grants the license)", required=True)
    answers = Answers(
        id=ask(policy_id, "Policy id", default=slug(name), required=True),
        licensor=name,
        terms_url=ask(terms_url, "URL of the terms", required=True),
        site=ask(site, "Licensor's domain (pages must link to it; empty for none)"),
        byline=ask(byline, "Byline form (empty for none)", default=f"Author Name, {name}"),
        credit=ask(credit, "Required credit line (empty for none)"),
        logo=list(logo or []) if logo or no_input else
        [x.strip() for x in ask(None, "Logo alt text or file names, comma-separated (empty for none)").split(",")
         if x.strip()],
        pixel=ask(pixel, "Tracking pixel URL (empty for none)"),
    )
    if answers.credit:
        answers.credit_position = ask(credit_position, "Where does the credit line go (top, bottom, anywhere)",
                                      default="top")
    paths = write(answers, folder, force=force)
    policy = load_policy(str(paths[0]))
    for path in paths:
        typer.echo(f"wrote {path}")
    typer.echo(f"Policy {policy.id} has {len(policy.clauses)} clauses. Next: fill in the TODOs, replace the "
               f"example pages with real ones, and run `compliance policy test {paths[0]}`.")


@policy_app.command("test")
def policy_test(
    targets: List[str] = typer.Argument(None, metavar="[PATH|POLICY]...",
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
