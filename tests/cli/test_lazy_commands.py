"""Commands other than check are built when asked for (cli.LATER); a user sees the same CLI."""

from __future__ import annotations

import re

from cli_runner import run_cli
from conftest import REPO

from compliance.cli import LATER


def test_the_root_help_lists_every_command_in_order() -> None:
    ran = run_cli("--help", env={"COLUMNS": "200", "NO_COLOR": "1"}, cwd=REPO)
    assert ran.code == 0, ran.err
    listed = re.findall(r"^│ (\w+) {2,}\S", ran.out, re.M)
    assert listed == ["check", "diff", "history", "evidence", "serve", "policy", "config"]
    assert set(listed) == {"check", *LATER}


def test_a_mistyped_command_is_matched_against_the_commands_not_yet_built() -> None:
    ran = run_cli("polic", cwd=REPO)
    assert ran.code == 2 and "Did you mean 'policy'?" in ran.err


def test_config_show_takes_checks_options() -> None:
    ran = run_cli("config", "show", "--no-config", "--policy", "dcnf", "--fail-on", "warning", cwd=REPO)
    assert ran.code == 0, ran.err
    assert re.search(r"fail-on +\"?warning\"? +command line", ran.out), ran.out
