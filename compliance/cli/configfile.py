"""Configuration files: find one, validate it, and feed it to ``compliance check`` as defaults.

Discovery walks up from the working directory to the filesystem root and
stops at the first directory that holds a configuration. Within one
directory ``compliance.toml`` wins over ``.compliance.yaml`` (then
``.compliance.yml``), which wins over a ``pyproject.toml`` with a
``[tool.compliance]`` table; the losers are listed by ``config show``.
Nothing is merged: one file or none, so what applies is never a puzzle.

Values become the check command's defaults (click's ``default_map``): any
flag given on the command line overrides them, and the command body never
needs to know where a value came from. Paths in a file (every key that names
a file or folder: pages, policy files, overrides, originals, URL lists,
sitemap and feed files, reports, baseline, waivers, store, archive, cache)
are relative to the file's directory; they are rewritten relative to the
working directory so reports show paths a user can type. URLs are left alone.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.cli import help as help_screens
from compliance.errors import Collector, ConfigError, PolicyError, UsageError, did_you_mean, kind_of, where
from compliance.inputs.files import CONFIG_BYTES, display_path, read_bytes, read_text
from compliance.text.regex import lazy
from compliance.text.urls import is_web_url

_URL = lazy(r"^[a-z][a-z0-9+.-]*://", re.I)  # a store's postgresql:// URL is no path
CANDIDATES = ("compliance.toml", ".compliance.yaml", ".compliance.yml", "pyproject.toml")
_META = "compliance.cli.configfile"


@dataclass(frozen=True)
class Key:
    """One configuration key: its type, and the ``check`` parameter it sets."""

    name: str
    param: str
    kind: str  # str | int | number | seconds | count | bool | strs | paths | path | store | policies | reports
    help: str


KEYS: dict[str, Key] = {k.name: k for k in (
    Key("paths", "pages", "paths", "pages to check when none are named on the command line"),
    Key("policies", "policy", "policies", "built-in policy names or policy files"),
    Key("authors", "author", "strs", "the original reporters (--author)"),
    Key("overrides", "override", "paths", "site override files (--override)"),
    Key("original", "original", "paths", "the licensor's original story, a page or URL (--original)"),
    Key("originals", "originals", "paths", "catalogs of originals: feeds or manifests (--originals)"),
    Key("format", "fmt", "str", "output format (--format)"),
    Key("output", "output", "path", "write the report to this file (--output)"),
    Key("reports", "report", "reports", "extra reports, format = path (--report FORMAT=PATH)"),
    Key("fail-on", "fail_on", "str", "lowest failing severity that makes the exit status 1 (--fail-on)"),
    Key("fail-on-empty", "fail_on_empty", "bool",
        "a page that is a republication under none of the policies fails the run (--fail-on-empty)"),
    Key("jobs", "jobs", "int", "worker processes (--jobs)"),
    Key("max-bytes", "max_bytes", "int", "largest page accepted, in bytes (--max-bytes)"),
    Key("timeout", "timeout", "number", "network timeout in seconds (--timeout)"),
    Key("allow-private", "allow_private", "bool", "fetch from private, loopback and link-local addresses too "
                                                  "(--allow-private)"),
    Key("page-timeout", "page_timeout", "number", "longest one page may take to check, in seconds (--page-timeout)"),
    Key("page-memory", "page_memory", "int", "memory one page may use, in MB (--page-memory)"),
    Key("baseline", "baseline", "path", "baseline file of accepted failures (--baseline)"),
    Key("waivers", "waivers", "path", "waiver file (--waivers)"),
    Key("max-waiver-days", "max_waiver_days", "int", "longest a waiver may run from today (--max-waiver-days)"),
    Key("store", "store", "store", "results store: a SQLite file or a postgresql:// URL (--store)"),
    Key("archive", "archive", "path", "WARC file the checked pages are written to (--archive)"),
    Key("scheduler", "scheduler", "str", "Dask scheduler the pages are checked on (--scheduler)"),
    Key("urls", "urls", "paths", "files listing pages to check, one a line (--urls)"),
    Key("sitemaps", "sitemap", "paths", "sitemaps whose pages are checked, URLs or files (--sitemap)"),
    Key("feeds", "feed", "paths", "RSS or Atom feeds whose items are checked, URLs or files (--feed)"),
    Key("since", "since", "str", "only sitemap and feed entries dated on or after this date (--since)"),
    Key("max-pages", "max_pages", "int", "most pages taken from one sitemap or feed (--max-pages)"),
    Key("concurrency", "concurrency", "int", "most downloads at once (--concurrency)"),
    Key("per-host", "per_host", "int", "most downloads at once from one host (--per-host)"),
    Key("delay", "delay", "seconds", "least seconds between two requests to one host (--delay)"),
    Key("retries", "retries", "count", "retries after a connection error, 429 or 503 (--retries)"),
    Key("ignore-robots", "ignore_robots", "bool", "fetch pages robots.txt disallows, for your own sites "
                                                  "(--ignore-robots)"),
    Key("user-agent", "user_agent", "str", "User-Agent sent with every request (--user-agent)"),
    Key("cache", "cache", "path", "folder of fetched pages, revalidated on each run (--cache)"),
    Key("quiet", "quiet", "bool", "text output: only pages that fail or could not be checked (--quiet)"),
)}


@dataclass
class ConfigFile:
    """A validated configuration file: values ready for the command, and where each was written."""

    path: Path
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int | None] = field(default_factory=dict)
    ignored: tuple[Path, ...] = ()
    problems: Collector = field(default_factory=Collector)  # what is wrong with the other keys

    def where(self, key: str) -> str:
        return where(display_path(self.path), self.lines.get(key))


# -- discovery ---------------------------------------------------------------------------------


def discover(start: Path | None = None) -> tuple[Path | None, tuple[Path, ...]]:
    """The configuration that applies in ``start`` (default: the working directory), and its losers."""
    start = (start or Path.cwd()).absolute()
    for directory in (start, *start.parents):
        found = [directory / name for name in CANDIDATES if (directory / name).is_file()]
        found = [p for p in found if p.name != "pyproject.toml" or _pyproject_has_table(p)]
        if found:
            return found[0], tuple(found[1:])
    return None, ()


def _pyproject_has_table(path: Path) -> bool:
    try:
        text = read_bytes(path, CONFIG_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "compliance" not in text:  # cheap: most pyproject files never mention us
        return False
    import tomllib  # only when a file is read: most runs have none, or give --no-config

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return re.search(r"^\s*\[\s*tool\.compliance\s*\]", text, re.M) is not None
    return isinstance(data.get("tool"), dict) and "compliance" in data["tool"]


def load(config: Path | None = None, no_config: bool = False, start: Path | None = None) -> ConfigFile | None:
    """The configuration to use: ``config`` if given, none with ``no_config``, else the discovered one."""
    if config is not None and no_config:
        raise UsageError("--config and --no-config contradict each other; give one of them")
    if no_config:
        return None
    ignored: tuple[Path, ...] = ()
    if config is None:
        found, ignored = discover(start)
        if found is None:
            return None
        path = found
    else:
        path = Path(config)
        if not path.exists():
            raise ConfigError("the configuration file does not exist", file=str(config))
    cfg = load_file(path.absolute(), defer=True)
    cfg.ignored = ignored
    return cfg


def load_file(path: Path, *, defer: bool = False) -> ConfigFile:
    """Read and validate one configuration file; paths in it are resolved against its directory.

    Every key is checked and every problem gathered; they are raised together, or, with ``defer``,
    kept in ``problems`` for ``command_defaults`` to add the command line's own checks and raise all.
    """
    file = display_path(path)
    text = read_text(path, "the configuration", lambda message: ConfigError(message, file=file),
                     limit=CONFIG_BYTES)
    if path.suffix in (".yaml", ".yml"):
        data, lines = _read_yaml(text, file)
    else:
        data, lines = _read_toml(text, file, pyproject=path.name == "pyproject.toml")
    problems = Collector()
    values = _validate(data, lines, file, path.parent, problems)
    cfg = ConfigFile(path=path, values=values, lines={k: lines.get(k) for k in values}, problems=problems)
    if not defer:
        problems.check(ConfigError)
    return cfg


def _read_toml(text: str, file: str, *, pyproject: bool) -> tuple[dict[str, Any], dict[str, int]]:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        raise ConfigError(f"invalid TOML: {exc}", file=file, line=int(found.group(1)) if found else None) from None
    table: tuple[str, ...] = ()
    if pyproject:
        table = ("tool", "compliance")
        tool = data.get("tool")
        if not isinstance(tool, dict) or "compliance" not in tool:
            raise ConfigError("there is no [tool.compliance] table in this file", file=file)
        data = tool["compliance"]
        if not isinstance(data, dict):
            raise ConfigError("must be a table", file=file, key="tool.compliance")
    return data, _toml_lines(text, table)


_TOML_HEADER = lazy(r"^\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")
_TOML_PART = r"(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
_TOML_KEY = lazy(rf"^({_TOML_PART}(?:\s*\.\s*{_TOML_PART})*)\s*=")


def _toml_lines(text: str, table: tuple[str, ...]) -> dict[str, int]:
    """Line of each key under ``table`` (sub-keys as ``a.b``). Best effort: tomllib keeps no positions."""
    lines: dict[str, int] = {}
    current: tuple[str, ...] = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        header = _TOML_HEADER.match(stripped)
        if header:
            current = _toml_key_parts(header.group(1))
            if current[: len(table)] == table and len(current) > len(table):
                lines.setdefault(".".join(current[len(table):]), number)
            continue
        key = _TOML_KEY.match(stripped)
        if key:
            full = current + _toml_key_parts(key.group(1))
            if full[: len(table)] == table and len(full) > len(table):
                lines.setdefault(".".join(full[len(table):]), number)
    return lines


def _toml_key_parts(text: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", text))


def _read_yaml(text: str, file: str) -> tuple[Any, dict[str, int]]:
    from compliance.inputs.yamlpos import dotted, load_located

    if not text.strip():
        return {}, {}
    try:
        located = load_located(text, file)
    except PolicyError as exc:
        raise ConfigError.of(exc.problems) from None
    lines = {dotted(path): line for path, line in located.lines.items() if path}
    return located.data, lines


# -- validation --------------------------------------------------------------------------------


def _validate(data: Any, lines: dict[str, int], file: str, base: Path, problems: Collector) -> dict[str, Any]:
    """The values of the keys that are right; a problem for each one that is not."""
    if not isinstance(data, dict):
        raise ConfigError("the configuration must be a mapping of keys to values", file=file, line=1)
    values: dict[str, Any] = {}
    for key, value in data.items():
        spec = KEYS.get(key)
        if spec is None:
            import difflib

            hint = difflib.get_close_matches(str(key).replace("_", "-"), KEYS, n=1)
            known = f"did you mean {hint[0]!r}?" if hint else "known keys: " + ", ".join(KEYS)
            problems.add(ConfigError(f"unknown key ({known})", file=file, line=lines.get(str(key)), key=str(key)))
            continue

        def bad(problem: str, sub: str = "") -> ConfigError:
            name = f"{key}.{sub}" if sub else key
            return ConfigError(problem, file=file, line=lines.get(name) or lines.get(key), key=name)

        try:
            values[key] = _convert(spec, value, base, bad)
        except ConfigError as exc:
            problems.add(exc)
    return values


def _convert(spec: Key, value: Any, base: Path, bad) -> Any:
    kind = spec.kind
    if kind in ("str", "path", "store"):
        if not isinstance(value, str) or not value.strip():
            raise bad(f"must be a non-empty string, got {kind_of(value, 'a table')}")
        if kind == "store":
            from compliance.store.backends import rebase_location

            return rebase_location(value, lambda path: rebase(path, base))
        return rebase(value, base) if kind == "path" else value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad(f"must be a whole number, got {kind_of(value, 'a table')}")
        if value < 1:
            raise bad(f"must be at least 1, got {value}")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise bad(f"must be true or false, got {kind_of(value, 'a table')}")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise bad(f"must be a positive number, got {kind_of(value, 'a table')}")
        return float(value)
    if kind in ("seconds", "count"):  # zero allowed: no delay, no retries
        whole = kind == "count"
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) or value < 0:
            raise bad(f"must be a {'whole ' if whole else ''}number of at least 0, got {kind_of(value, 'a table')}")
        return value if whole else float(value)
    if kind in ("strs", "paths", "policies"):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
            raise bad(f"must be a list of non-empty strings, got {kind_of(value, 'a table')}")
        if kind == "paths":
            return [rebase(v, base) for v in items]
        if kind == "policies":
            return [rebase(v, base) if _looks_like_file(v) else v for v in items]
        return list(items)
    if kind == "reports":
        if not isinstance(value, dict):
            raise bad(f"must be a table of format = path, got {kind_of(value, 'a table')}")
        out = []
        for fmt, target in value.items():
            if not isinstance(target, str) or not target.strip():
                raise bad(f"must be a path, got {kind_of(target, 'a table')}", str(fmt))
            out.append(f"{fmt}={rebase(target, base)}")
        return out
    raise AssertionError(kind)  # pragma: no cover


def _looks_like_file(value: str) -> bool:
    from compliance.policy.builtin import (
        looks_like_file,  # the policy loader's own rule
    )

    return looks_like_file(value)


def rebase(value: str, base: Path) -> str:
    """A path written relative to ``base``, as a path relative to the working directory."""
    if value == "-" or is_web_url(value) or _URL.match(value):
        return value
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = base / path
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)
    return rel


# -- hooking into the command line -------------------------------------------------------------


def on_option(ctx: Any, name: str, value: Any) -> None:
    """Callback of ``--config`` and ``--no-config`` (both eager): once both are known, load the file.

    Eager options are processed before all others, so the file's values are
    in ``ctx.default_map`` before click looks up any other option's default.
    """
    state = ctx.meta.setdefault(_META, {})
    state[name] = value
    if "config_file" not in state or "no_config" not in state or "loaded" in state:
        return
    cfg = load(state["config_file"], bool(state["no_config"]))
    state["loaded"] = cfg
    if cfg is not None:
        ctx.default_map = {**(ctx.default_map or {}), **command_defaults(cfg, ctx)}


def loaded(ctx: Any) -> ConfigFile | None:
    """The configuration file the command was given (None when there is none)."""
    return ctx.meta.get(_META, {}).get("loaded")


def command_defaults(cfg: ConfigFile, ctx: Any) -> dict[str, Any]:
    """The file's values keyed by parameter name, each checked by the parameter's own type.

    Raises every problem of the file at once: the ones found when it was read, and these.
    """
    params = {p.name: p for p in ctx.command.params}
    out: dict[str, Any] = {}
    problems = cfg.problems
    for key, value in cfg.values.items():
        spec = KEYS[key]
        param = params.get(spec.param)
        where = dict(file=display_path(cfg.path), line=cfg.lines.get(key), key=key)
        if param is None:
            problems.add(ConfigError("this version of compliance does not support this key", **where))
            continue
        choices = help_screens.choices(param)
        if choices and isinstance(value, str) and value not in choices:
            problems.add(ConfigError(f"{value!r} is not one of: {', '.join(choices)}{did_you_mean(value, choices)}",
                                     **where))
            continue
        low, high = help_screens.bounds(param)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and (
                (low is not None and value < low) or (high is not None and value > high)):
            bounds = " and ".join(b for b in (f"at least {low}" if low is not None else "",
                                              f"at most {high}" if high is not None else "") if b)
            problems.add(ConfigError(f"must be {bounds}, got {value}", **where))
            continue
        try:
            _coerce(param, value, ctx)
        except Exception as exc:  # click's BadParameter: restate it with file and line
            message = getattr(exc, "message", None) or str(exc)
            problems.add(ConfigError(_plain_message(message), **where))
            continue
        out[spec.param] = value
    problems.check(ConfigError)
    return out


def _plain_message(message: str) -> str:
    """A parameter library's message without its validator's own prefixes ("Value error, …")."""
    return re.sub(r"^(?:\d+ validation errors? for \S+\s*)?(?:Value error, )?", "", message.strip())


def _coerce(param: Any, value: Any, ctx: Any) -> None:
    """Run the parameter's own type check (choices, ranges) on a value from the file."""
    if hasattr(param, "get_runtime_param"):  # Typer 0.29 converts whole values itself
        param.get_runtime_param().coerce(value, param=param, ctx=ctx)
        return
    for item in value if isinstance(value, list) else [value]:
        param.type.convert(item, param, ctx)


def key_for(param: str) -> str | None:
    return next((k.name for k in KEYS.values() if k.param == param), None)


def source_of(ctx: Any, param: str) -> str:
    """Where a check parameter's value came from: "command line", "file:line" or "default"."""
    source = ctx.get_parameter_source(param)
    name = getattr(source, "name", "")
    if name == "COMMANDLINE":
        return "command line"
    if name == "ENVIRONMENT":
        return "environment"
    if name == "DEFAULT_MAP":
        cfg, key = loaded(ctx), key_for(param)
        if cfg is not None and key is not None:
            return cfg.where(key)
    return "default"
