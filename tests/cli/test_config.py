"""Configuration files: discovery up the tree, precedence, flags over files, provenance, and errors (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ci_kit import BAD_CREDIT, GOOD, NO_LOGO, SITE_CONFIG, cli, make_site  # noqa: F401 (fixture)
from conftest import FIXTURES

from compliance.cli.configfile import discover, load_file
from compliance.errors import ConfigError


def test_discovered_from_a_subfolder_with_paths_relative_to_the_file(tmp_path, cli):
    site = make_site(tmp_path / "site", {"a.html": GOOD, "b.html": BAD_CREDIT}, SITE_CONFIG)
    deep = site / "src" / "deep"
    deep.mkdir(parents=True)
    ran = cli(deep, "check", "--format", "json")
    assert ran.code == 1, ran.err
    sources = sorted(p["source"] for p in ran.json()["pages"])
    assert sources == [str(Path("../../public/a.html")), str(Path("../../public/b.html"))]


def test_discovery_stops_at_the_closest_folder_with_a_config(tmp_path):
    make_site(tmp_path / "outer", {}, SITE_CONFIG)
    inner = tmp_path / "outer" / "inner"
    inner.mkdir()
    (inner / ".compliance.yaml").write_text("jobs: 2\n")
    found, ignored = discover(inner)
    assert found == inner / ".compliance.yaml" and ignored == ()
    found, _ = discover(tmp_path / "outer")
    assert found == tmp_path / "outer" / "compliance.toml"


def test_pyproject_without_our_table_is_skipped(tmp_path):
    make_site(tmp_path, {}, SITE_CONFIG)
    sub = tmp_path / "pkg"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert discover(sub)[0] == tmp_path / "compliance.toml"
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.compliance]\njobs = 3\n')
    assert discover(sub)[0] == sub / "pyproject.toml"


def test_precedence_within_one_folder(tmp_path, cli):
    make_site(tmp_path, {"a.html": GOOD}, 'paths = ["public"]\npolicies = ["policy.yaml"]\njobs = 1\n')
    (tmp_path / ".compliance.yaml").write_text("jobs: 2\n")
    (tmp_path / "pyproject.toml").write_text("[tool.compliance]\njobs = 3\n")
    found, ignored = discover(tmp_path)
    assert found.name == "compliance.toml"
    assert [p.name for p in ignored] == [".compliance.yaml", "pyproject.toml"]
    shown = cli(tmp_path, "config", "show")
    assert "Configuration file: compliance.toml" in shown.out
    assert "Ignored: .compliance.yaml" in shown.out and "Ignored: pyproject.toml" in shown.out
    (tmp_path / "compliance.toml").unlink()
    assert discover(tmp_path)[0].name == ".compliance.yaml"
    (tmp_path / ".compliance.yaml").unlink()
    assert discover(tmp_path)[0].name == "pyproject.toml"


def test_config_show_says_where_each_value_came_from(tmp_path, cli):
    make_site(tmp_path, {}, 'paths = ["public"]\npolicies = ["policy.yaml"]\n\nfail-on = "warning"\n'
                            '[reports]\nsarif = "out/c.sarif"\n')
    ran = cli(tmp_path, "config", "show", "--jobs", "4")
    assert ran.code == 0, ran.err
    rows = {line.split()[0]: line for line in ran.out.splitlines()[2:] if line.strip()}
    assert rows["paths"].endswith("compliance.toml:1") and '["public"]' in rows["paths"]
    assert rows["policies"].endswith("compliance.toml:2")
    assert rows["fail-on"].endswith("compliance.toml:4") and '"warning"' in rows["fail-on"]
    assert rows["reports"].endswith("compliance.toml:5") and "sarif=" in rows["reports"]
    assert rows["jobs"].endswith("command line") and " 4 " in rows["jobs"]
    assert rows["timeout"].endswith("default")


def test_yaml_and_pyproject_lines_are_reported(tmp_path, cli):
    (tmp_path / ".compliance.yaml").write_text("# settings\npolicies:\n  - dcnf\njobs: 2\n")
    rows = cli(tmp_path, "config", "show").out
    assert any(line.startswith("jobs") and line.endswith(".compliance.yaml:4") for line in rows.splitlines())
    (tmp_path / ".compliance.yaml").unlink()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.compliance]\nfail-on = "info"\n')
    rows = cli(tmp_path, "config", "show").out
    assert any(line.startswith("fail-on") and line.endswith("pyproject.toml:5") for line in rows.splitlines())


def test_command_line_overrides_the_file(tmp_path, cli):
    # the logo clause is a warning: the file's fail-on = "warning" fails the run, --fail-on error does not
    make_site(tmp_path, {"a.html": NO_LOGO}, SITE_CONFIG + 'fail-on = "warning"\n')
    assert cli(tmp_path, "check").code == 1
    assert cli(tmp_path, "check", "--fail-on", "error").code == 0
    # pages on the command line replace the file's paths (what pre-commit relies on)
    (tmp_path / "other.html").write_text(GOOD)
    ran = cli(tmp_path, "check", "other.html", "--format", "json")
    assert [p["source"] for p in ran.json()["pages"]] == ["other.html"]


def test_explicit_config_and_no_config(tmp_path, cli):
    make_site(tmp_path, {"a.html": BAD_CREDIT}, SITE_CONFIG)
    (tmp_path / "ci.toml").write_text('paths = ["public"]\npolicies = ["policy.yaml"]\nfail-on = "never"\n')
    assert cli(tmp_path, "check").code == 1
    assert cli(tmp_path, "check", "--config", "ci.toml").code == 0
    ran = cli(tmp_path, "check", "--no-config")
    assert ran.code == 2 and "no policy given" in ran.err
    ran = cli(tmp_path, "check", "--no-config", "--config", "ci.toml")
    assert ran.code == 2 and "contradict" in ran.err
    ran = cli(tmp_path, "check", "--config", "missing.toml")
    assert ran.code == 2 and "missing.toml" in ran.err and "does not exist" in ran.err


def test_no_pages_anywhere_is_a_clear_usage_error(tmp_path, cli):
    (tmp_path / "compliance.toml").write_text('policies = ["dcnf"]\n')
    ran = cli(tmp_path, "check")
    assert ran.code == 2
    assert "no pages given" in ran.err and "paths" in ran.err and "Traceback" not in ran.err


@pytest.mark.parametrize("name, text, where, key", [
    ("compliance.toml", 'policies = ["dcnf"]\n\nfail_on = "warning"\n', "compliance.toml:3", "fail_on"),
    ("compliance.toml", '[reports]\nhtml = "r.html"\n\n[colour]\nx = 1\n', "compliance.toml:4", "colour"),
    (".compliance.yaml", "policies: [dcnf]\nverbosity: 2\n", ".compliance.yaml:2", "verbosity"),
    ("pyproject.toml", '[project]\nname = "x"\n[tool.compliance]\njobs = 2\nthreads = 4\n', "pyproject.toml:5",
     "threads"),
])
def test_unknown_key_names_file_line_and_key(tmp_path, cli, name, text, where, key):
    (tmp_path / name).write_text(text)
    ran = cli(tmp_path, "check", "x.html")
    assert ran.code == 2
    assert f"{where}: {key}: unknown key" in ran.err, ran.err
    assert "Traceback" not in ran.err


def test_unknown_key_suggests_the_right_spelling(tmp_path):
    (tmp_path / "compliance.toml").write_text('fail_on = "warning"\n')
    with pytest.raises(ConfigError, match="did you mean 'fail-on'"):
        load_file(tmp_path / "compliance.toml")


@pytest.mark.parametrize("text, where, key, problem", [
    ('jobs = "4"\n', "compliance.toml:1", "jobs", "whole number"),
    ('policies = ["dcnf"]\npaths = 3\n', "compliance.toml:2", "paths", "list of non-empty strings"),
    ('fail-on = "sometimes"\n', "compliance.toml:1", "fail-on", "sometimes"),
    ('timeout = -1\n', "compliance.toml:1", "timeout", "positive number"),
    ('format = "pdf"\n', "compliance.toml:1", "format", "pdf"),
    ('[reports]\nhtml = 1\n', "compliance.toml:2", "reports.html", "must be a path"),
    ('jobs = 2\njobs = 3\n', "compliance.toml:2", "", "invalid TOML"),
])
def test_wrong_types_name_file_line_and_key(tmp_path, cli, text, where, key, problem):
    (tmp_path / "compliance.toml").write_text(text)
    ran = cli(tmp_path, "check", "x.html")
    assert ran.code == 2
    assert ran.err.startswith(f"compliance: error: {where}: {key + ': ' if key else ''}"), ran.err
    assert problem in ran.err


def test_every_mistake_in_a_config_file_is_reported_in_one_run_in_plain_words(tmp_path, cli):
    (tmp_path / "compliance.toml").write_text('paths = ["public"]\npolicy = ["dcnf"]\nfail-on = "errors"\n'
                                              'jobs = 300\ntimeout = "soon"\n')
    ran = cli(tmp_path, "config", "show")
    assert ran.code == 2 and ran.out == ""
    assert ran.err.splitlines() == [
        "compliance: error: compliance.toml:2: policy: unknown key (did you mean 'policies'?)",
        "compliance: error: compliance.toml:3: fail-on: 'errors' is not one of: error, warning, info, never "
        "(did you mean 'error'?)",
        "compliance: error: compliance.toml:4: jobs: must be at least 1 and at most 256, got 300",
        "compliance: error: compliance.toml:5: timeout: must be a positive number, got a string ('soon')",
        "compliance: 4 problems in compliance.toml",
    ]
    assert "Value error" not in ran.err and "Input should" not in ran.err


def test_help_works_even_with_a_broken_config(tmp_path, cli):
    (tmp_path / "compliance.toml").write_text("bogus = 1\n")
    ran = cli(tmp_path, "check", "--help")
    assert ran.code == 0 and "--config" in ran.out and "--write-baseline" in ran.out


def test_toml_lines_for_dotted_keys_and_sub_tables(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool]\ncompliance.jobs = 2\n'
                                             '[tool.compliance.reports]\njunit = "j.xml"\n')
    cfg = load_file(tmp_path / "pyproject.toml")
    assert cfg.lines == {"jobs": 4, "reports": 5}
    assert cfg.values["reports"][0].startswith("junit=") and cfg.values["reports"][0].endswith("j.xml")
    (tmp_path / "pyproject.toml").write_text('tool.compliance.fail-on = "info"\n[project]\nname = "x"\n')
    assert load_file(tmp_path / "pyproject.toml").lines == {"fail-on": 1}


def test_originals_from_the_config_match_pages(tmp_path, cli):
    """``originals`` in the file is read relative to it, and unmatched pages are not applicable."""
    fixtures = FIXTURES / "originals"
    site = make_site(tmp_path / "site", {"a.html": GOOD}, SITE_CONFIG)
    (site / "feed.rss").write_bytes((fixtures / "feed.rss").read_bytes())
    with (site / "compliance.toml").open("a") as handle:
        handle.write('originals = ["feed.rss"]\n')
    shown = cli(site, "config", "show")
    assert "compliance.toml" in shown.out and "feed.rss" in shown.out
    ran = cli(site, "check", "--format", "json")
    (page,) = ran.json()["pages"]
    assert page["status"] == "not_applicable" and "no original" in page["message"]


# Every key that names a file or folder, and so is read relative to the configuration file's folder.
PATH_KEYS = {"paths", "policies", "overrides", "original", "originals", "output", "reports", "baseline", "waivers",
             "store", "archive", "urls", "sitemaps", "feeds", "cache"}


def test_every_key_naming_a_file_is_relative_to_the_configuration_file(tmp_path, monkeypatch):
    """A relative path in the file means the same file from whatever folder the command runs in; URLs stay."""
    from compliance.cli.configfile import KEYS

    folder = tmp_path / "conf"
    folder.mkdir()
    monkeypatch.chdir(tmp_path)
    samples = {"str": "sub/x.yaml", "path": "sub/x.yaml", "store": "sub/x.yaml", "strs": ["sub/x.yaml"],
               "paths": ["sub/x.yaml"], "policies": ["sub/x.yaml"], "reports": {"json": "sub/x.yaml"}}
    rebased = set()
    for key in KEYS.values():
        if key.kind not in samples:
            continue
        (folder / ".compliance.yaml").write_text(f"{key.name}: {samples[key.kind]!r}\n".replace("'", '"'))
        value = load_file(folder / ".compliance.yaml", defer=True).values.get(key.name)
        if str(Path("conf/sub/x.yaml")) in str(value):
            rebased.add(key.name)
    assert rebased == PATH_KEYS


@pytest.mark.parametrize(("key", "written", "read"), [
    ("sitemaps", "maps/site.xml", str(Path("conf/maps/site.xml"))),
    ("sitemaps", "https://example.org/sitemap.xml", "https://example.org/sitemap.xml"),
    ("feeds", "-", "-"),
    ("store", "results.db", str(Path("conf/results.db"))),
    ("store", "sqlite:///results.db", "sqlite:///" + str(Path("conf/results.db"))),
    ("store", "sqlite:////var/results.db", "sqlite:////var/results.db"),
    ("store", "postgresql://u@db.example/audits", "postgresql://u@db.example/audits"),
])
def test_sitemaps_feeds_and_store_locations_from_the_file(tmp_path, monkeypatch, key, written, read):
    folder = tmp_path / "conf"
    folder.mkdir()
    monkeypatch.chdir(tmp_path)
    (folder / "compliance.toml").write_text(f'{key} = "{written}"\n')
    value = load_file(folder / "compliance.toml").values[key]
    assert (value[0] if isinstance(value, list) else value) == read
