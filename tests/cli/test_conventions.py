"""The command line behaves the way click, ruff and Semgrep users expect: version, completion, colour, help, stdin names."""

from __future__ import annotations

import json
import re
import sys

import pytest
from ci_kit import BAD_CREDIT, GOOD, SITE_CONFIG, make_site
from cli_runner import run_cli

from compliance import __version__
from compliance.cli.check import _want_color

ANSI = "\x1b["


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag: str) -> None:
    ran = run_cli(flag)
    assert (ran.code, ran.out) == (0, f"compliance {__version__}\n")


def test_shell_completion_is_offered_and_completes_commands_and_choices() -> None:
    ran = run_cli("--help", env={"COLUMNS": "120"})
    assert "--install-completion" in ran.out and "--show-completion" in ran.out
    ran = run_cli("--show-completion", "bash")
    assert ran.code == 0 and "_compliance_completion()" in ran.out
    ran = run_cli(env={"_COMPLIANCE_COMPLETE": "complete_bash", "COMP_WORDS": "compliance ch", "COMP_CWORD": "1"})
    assert ran.out.split() == ["check"]
    ran = run_cli(env={"_COMPLIANCE_COMPLETE": "complete_bash", "COMP_WORDS": "compliance check --fail-on ",
                       "COMP_CWORD": "3"})
    assert ran.out.split() == ["error", "warning", "info", "never"]


@pytest.mark.parametrize("env, tty, want", [
    ({}, True, True),
    ({}, False, False),
    ({"NO_COLOR": ""}, True, True),           # set but empty: the convention says it does not count
    ({"NO_COLOR": "1"}, True, False),
    ({"FORCE_COLOR": "1"}, False, True),
    ({"FORCE_COLOR": ""}, False, False),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),  # NO_COLOR wins, as in the help screens (Rich)
])
def test_colour_follows_no_color_and_force_color(monkeypatch, env, tty, want) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: tty)
    assert _want_color(None, None) is want
    assert _want_color(False, None) is False and _want_color(True, None) is True
    assert _want_color(None, "report.txt") is False  # a file never gets colour unless --color says so


def test_force_color_colours_a_pipe(tmp_path) -> None:
    site = make_site(tmp_path / "site", {"b.html": BAD_CREDIT}, SITE_CONFIG)
    assert ANSI not in run_cli("check", cwd=site).out
    assert ANSI in run_cli("check", cwd=site, env={"FORCE_COLOR": "1"}).out


def _help(*args: str) -> str:
    ran = run_cli(*args, "--help", env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert ran.code == 0, ran.err
    return ran.out


@pytest.mark.parametrize("command", [(), ("check",), ("policy",), ("policy", "init"), ("policy", "validate"),
                                     ("policy", "test"), ("config", "show"), ("serve",)])
def test_help_screens_are_tidy(command: tuple[str, ...]) -> None:
    text = _help(*command)
    assert "<bool>" not in text and "<list[" not in text and "<str>" not in text and "<path>" not in text
    assert "...]..." not in text and "......" not in text


def test_check_help_lists_choices_examples_and_exit_codes() -> None:
    text = _help("check")
    assert "Usage: compliance check [OPTIONS] [PATH_OR_URL]..." in text
    from compliance.reporters import REPORTERS

    assert "error|warning|info|never" in text and "|".join(REPORTERS) in text
    assert "[tool.compliance]" in text  # not eaten as markup
    assert "Examples" in text and "$ compliance check site/ --policy dcnf" in text
    codes = text[text.index("Exit codes"):]
    assert re.search(r"\b0 +nothing at or above --fail-on failed", codes)
    assert re.search(r"\b2 +usage, configuration or policy error", codes)


def test_config_show_help_lists_checks_options() -> None:
    text = _help("config", "show")
    for option in ("--fail-on", "--policy", "--baseline", "--waivers", "--stdin-filename", "PATH_OR_URL"):
        assert option in text, option


def test_policy_init_help_lists_the_credit_positions() -> None:
    assert "top|bottom|anywhere" in _help("policy", "init")


WAIVER = """\
waivers:
  - page: public/b.html
    policy: example
    clause: credit
    reason: The partner agreed to a footer credit until the redesign ships.
    approved_by: Dana Editor
    expires: 2099-12-31
"""


def test_stdin_filename_lets_waivers_and_baselines_match_a_piped_page(tmp_path) -> None:
    site = make_site(tmp_path / "site", {"a.html": GOOD, "b.html": BAD_CREDIT},
                     SITE_CONFIG + 'waivers = "compliance-waivers.yaml"\n')
    (site / "compliance-waivers.yaml").write_text(WAIVER, encoding="utf-8")
    piped = BAD_CREDIT.encode()
    plain = run_cli("check", "-", "--format", "json", cwd=site, stdin=piped)
    assert plain.code == 1
    assert plain.json()["pages"][0]["clauses"][0]["status"] == "fail"
    named = run_cli("check", "--stdin-filename", "public/b.html", "--format", "json", cwd=site, stdin=piped)
    assert named.code == 0, named.err
    page = named.json()["pages"][0]
    assert page["source"] == "public/b.html"
    assert {c["id"]: c["status"] for c in page["clauses"]}["credit"] == "waived"
    assert named.json()["suppressions"]["unmatched_waivers"] == []

    run_cli("check", "--write-baseline", "compliance-baseline.json", "--waivers", "none.yaml", cwd=site)
    entries = json.loads((site / "compliance-baseline.json").read_text())["entries"]
    assert [e["page"] for e in entries] == ["public/b.html"]
    again = run_cli("check", "-", "--stdin-filename", "public/b.html", "--baseline", "compliance-baseline.json",
                    "--waivers", "none.yaml", "--format", "json", cwd=site, stdin=piped)
    assert again.code == 0 and again.json()["pages"][0]["clauses"][0]["status"] == "baselined"


def test_stdin_filename_needs_stdin_among_named_pages(tmp_path) -> None:
    site = make_site(tmp_path / "site", {"a.html": GOOD}, SITE_CONFIG)
    ran = run_cli("check", "public/a.html", "--stdin-filename", "x.html", cwd=site)
    assert ran.code == 2 and "add '-' to the pages" in ran.err
