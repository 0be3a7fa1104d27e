"""The CLI side of reports: several outputs from one run, custom templates, caps that never hide a failure."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURES
from report_checks import parse_html
from report_samples import FIXED, sample_run
from typer.testing import CliRunner

from compliance.cli import app
from compliance.errors import UsageError
from compliance.reporters import render

PAGES = FIXTURES / "reports" / "pages"
PASS_PAGE, FAIL_PAGE = str(PAGES / "pass.html"), str(PAGES / "fail.html")


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count how often the runner checks pages."""
    import compliance.runner

    calls: list[int] = []
    real = compliance.runner.stream

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(compliance.runner, "stream", counting)
    return calls


def invoke(*args: str):
    return CliRunner().invoke(app, ["check", "--author", "Jane Doe", *args])


def test_several_reports_from_one_run(tmp_path: Path, runs: list[int]) -> None:
    out = tmp_path / "out"
    result = invoke(PASS_PAGE, FAIL_PAGE, "--policy", "dcnf", "--format", "json", "--output", str(out / "r.json"),
                    "--report", f"html={out / 'r.html'}", "--report", f"junit={out / 'r.xml'}",
                    "--report", f"sarif={out / 'r.sarif'}", "--report", f"github={out / 'gh.txt'}",
                    "--report", "markdown=-")
    assert result.exit_code == 1, result.output
    assert len(runs) == 1
    data = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert data["summary"]["results"] == 2
    assert result.stdout.startswith("## ❌ License compliance")
    html = parse_html((out / "r.html").read_text(encoding="utf-8"))
    assert len(html.xpath("//section[@data-verdict]")) == 2
    assert (out / "r.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert json.loads((out / "r.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert "FAILED" in (out / "gh.txt").read_text(encoding="utf-8").splitlines()[-1]


@pytest.mark.parametrize("args, message", [
    (["--report", "markdown=-"], "standard output"),
    (["--output", "x.txt", "--report", "json=x.txt"], "x.txt"),
    (["--report", "html"], "expected FORMAT=PATH"),
    (["--report", "pdf=r.pdf"], "unknown format 'pdf'"),
    (["--template", "missing.html.j2"], "no such file"),
    (["--format", "json", "--template", "t.html.j2"], "--template replaces --format"),
])
def test_bad_report_options_fail_before_checking(args: list[str], message: str, runs: list[int],
                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(PASS_PAGE, "--policy", "dcnf", *args)
    assert isinstance(result.exception, UsageError), result.output
    assert message in str(result.exception)
    assert runs == []


def test_custom_template_gets_the_data_model_and_autoescapes_html(tmp_path: Path) -> None:
    template = tmp_path / "mine.html.j2"
    template.write_text("{% for p in ordered_pages %}<li>{{ p.verdict }} {{ p.source | length > 0 }}</li>{% endfor %}"
                        "{{ summary.verdicts.fail }}|{{ report.failed }}|{{ '<b>' }}|{{ 'x' | md }}\n",
                        encoding="utf-8")
    out = tmp_path / "mine.html"
    result = invoke(FAIL_PAGE, PASS_PAGE, "--policy", "dcnf", "--template", str(template), "--output", str(out))
    assert result.exit_code == 1, result.output
    assert out.read_text(encoding="utf-8") == "<li>fail True</li><li>pass True</li>1|True|&lt;b&gt;|x\n"


def test_custom_template_as_an_extra_report_is_not_escaped_when_not_html(tmp_path: Path) -> None:
    template = tmp_path / "plain.txt.j2"
    template.write_text("{{ '<b>' }} {{ pages | length }}", encoding="utf-8")
    out = tmp_path / "plain.txt"
    result = invoke(PASS_PAGE, "--policy", "dcnf", "--report", f"{template}={out}")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "<b> 1"


@pytest.mark.parametrize("body, message", [
    ("{% for x in pages %}", "line 1"),
    ("{{ no_such_key }}", "no_such_key"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
])
def test_template_mistakes_are_messages(tmp_path: Path, body: str, message: str) -> None:
    template = tmp_path / "bad.txt.j2"
    template.write_text(body, encoding="utf-8")
    result = invoke(PASS_PAGE, "--policy", "dcnf", "--template", str(template))
    assert isinstance(result.exception, UsageError), result.output
    assert str(template) in str(result.exception) and message in str(result.exception)


def test_custom_template_can_reuse_built_in_partials(tmp_path: Path) -> None:
    template = tmp_path / "brand.html.j2"
    template.write_text('{% import "_macros.html.j2" as m with context %}<style>{% include "_style.css.j2" %}</style>'
                        '{% for p in pages %}{{ m.BADGE[p.verdict] }}{% endfor %}', encoding="utf-8")
    from compliance.reporters.templated import render_custom

    text = render_custom(sample_run(), replace(FIXED, template=template))
    assert text.startswith("<style>:root {")
    assert text.endswith("</style>PassesFailsCheck by handPassesNot checkedDoes not applyFails")


# -- caps --------------------------------------------------------------------------------------------------------


def test_github_cap_never_hides_the_failure() -> None:
    lines = render("github", sample_run(), replace(FIXED, max_annotations=0)).splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("::error title=compliance%3A check failed::The license check FAILED")
    assert "6 not shown (limit 0 per level" in lines[0]
    capped = render("github", sample_run(), replace(FIXED, max_annotations=1)).splitlines()
    assert [line.split(" ", 1)[0] for line in capped] == ["::error", "::warning", "::notice", "::error"]


def test_github_escapes_data_and_properties() -> None:
    from compliance.reporters.github import command

    assert command("error", "100%\r\nnext", file="a,b:c.html", line=3, title="x: y, z") == \
        "::error file=a%2Cb%3Ac.html,line=3,title=x%3A y%2C z::100%25%0D%0Anext"


def test_github_passing_run_says_so() -> None:
    from compliance.results.model import RunResult

    lines = render("github", RunResult(pages=sample_run().pages[:1]), FIXED).splitlines()
    assert lines == [lines[-1]] and lines[-1].startswith("::notice title=compliance%3A check passed::")


def test_markdown_is_capped_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    from compliance.reporters import templated

    full = render("markdown", sample_run(), FIXED)
    monkeypatch.setattr(templated, "MARKDOWN_LIMIT", len(full) - 1)
    capped = render("markdown", sample_run(), FIXED)
    assert len(capped) <= len(full) - 1
    assert "more page" in capped and "not shown" in capped
    assert capped.startswith(full.split("\n", 1)[0])  # the verdict line survives any cut
