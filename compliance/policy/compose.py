"""Policies built from layers: ``extends`` parents, the policy itself, then a publisher's overrides.

Merge order is parent → child → overrides; with ``extends: [a, b]`` the
parents are applied left to right, so ``b`` wins over ``a`` and the child
over both. Rules (yamllint's and Spectral's, adapted):

* mappings are merged key by key; lists and scalars are replaced whole;
* a check (``check``, ``when``, ``applies_to``, ``not``, ``if_original``'s
  ``then`` and ``else``) that names a
  different primitive than the one it overrides replaces it instead of
  merging, since a check holds exactly one primitive;
* ``clause-id: disable`` is shorthand for ``{enabled: false}``;
* a clause id the parents lack adds a clause, which must then be complete.

An override file is a patch a publisher keeps for its own site::

    policy: dcnf            # optional: only this policy (or a list); default every policy
    clauses:
      logo: {check: {logo: {within: ".article-header"}}}
      affiliation: {severity: warning}

Every merged value remembers the file and line it came from, so a
``PolicyError`` raised after merging still points into the right file.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.errors import Collector, PolicyError, did_you_mean
from compliance.inputs.files import display_path, inside, read_text
from compliance.inputs.yamlpos import KeyPath, Located, dotted, load_located
from compliance.policy.builtin import builtin_names, builtin_path
from compliance.policy.compiled import load_policy_file
from compliance.policy.schema import (
    DISABLE,
    nested_check_keys,
    override_schema,
    schema_errors,
    shallow_refs,
    shape_validator,
)

MAX_DEPTH = 16


# -- located, layered data -------------------------------------------------------------------


Origin = tuple[str, int, "int | None"]  # file, line, column


class Layered(Located):
    """Merged data whose every path knows the file, line and column it came from."""

    def __init__(self, data: Any, origins: dict[KeyPath, Origin], file: str, problems: Collector | None = None):
        super().__init__(data, {p: line for p, (_, line, _) in origins.items()}, file,
                         {p: col for p, (_, _, col) in origins.items() if col})
        self.origins = origins
        self.problems = problems or Collector()  # found while merging; building the policy reports them too

    def origin(self, path: KeyPath) -> tuple[str, int | None, int | None]:
        path = tuple(path)
        exact = True
        while True:
            if path in self.origins:
                file, line, column = self.origins[path]
                return file, line, column if exact else None
            if not path:
                return self.file, None, None
            path = path[:-1]
            exact = False

    def error(self, path: KeyPath, message: str) -> PolicyError:
        file, line, column = self.origin(path)
        return PolicyError(message, file=file, line=line, column=column, key=dotted(path))


def _origins_of(located: Located) -> dict[KeyPath, Origin]:
    if isinstance(located, Layered):
        return dict(located.origins)
    return {p: (located.file, line, located.columns.get(p)) for p, line in located.lines.items()}


@dataclass
class _Merge:
    data: dict[str, Any]
    origins: dict[KeyPath, Origin]

    def take(self, layer: Located, path: KeyPath) -> None:
        """Copy ``path`` from ``layer`` wholesale, with the origins beneath it."""
        for p in [p for p in self.origins if p[: len(path)] == path]:
            del self.origins[p]
        src = _origins_of(layer)
        for p, where in src.items():
            if p[: len(path)] == path:
                self.origins[p] = where

    def mark(self, layer: Located, path: KeyPath) -> None:
        src = _origins_of(layer)
        if path in src:
            self.origins[path] = src[path]


def _merge_node(m: _Merge, target: dict[str, Any], patch: dict[str, Any], layer: Located, path: KeyPath) -> None:
    for key, value in patch.items():
        p = path + (key,)
        old = target.get(key)
        if isinstance(value, dict) and isinstance(old, dict) and not _replaces(key, old, value):
            m.mark(layer, p)
            _merge_node(m, old, value, layer, p)
        else:
            target[key] = copy.deepcopy(value)
            m.take(layer, p)


def _replaces(key: str, old: dict[str, Any], new: dict[str, Any]) -> bool:
    """A check naming another primitive replaces the old check rather than merging into it."""
    return key in nested_check_keys() and set(new) != set(old)


def _apply(m: _Merge, patch: dict[str, Any], layer: Located, *, base: KeyPath = (), partial_ok: bool = False,
           used: set[str] | None = None, problems: Collector | None = None) -> None:
    """Apply one layer's top-level keys and clause patches onto the merged document."""
    for key, value in patch.items():
        if key in ("extends", "policy", "clauses"):
            continue
        _merge_node(m, m.data, {key: value}, layer, base)
    clauses = patch.get("clauses")
    if not isinstance(clauses, dict):
        return
    merged = m.data.setdefault("clauses", {})
    if ("clauses",) not in m.origins:
        m.mark(layer, ("clauses",))
    found = problems if problems is not None else Collector()
    for cid, spec in clauses.items():
        p = ("clauses", cid)
        if spec == DISABLE:
            spec = {"enabled": False}
        if not isinstance(spec, dict):
            continue  # the layer's own shape check reported it
        exists = isinstance(merged.get(cid), dict)
        if not exists and not (isinstance(spec, dict) and "title" in spec and "check" in spec):
            if partial_ok:
                continue  # an override for every policy: this one lacks the clause
            known = ", ".join(merged) or "none"
            found.add(layer.error(p, f"there is no clause {cid!r} to change{did_you_mean(cid, merged)} "
                                        f"(clauses: {known}); a new clause needs at least title and check"))
            continue
        if used is not None:
            used.add(cid)
        if exists:
            m.mark(layer, p)
            _merge_node(m, merged[cid], spec, layer, p)
        else:
            merged[cid] = copy.deepcopy(spec)
            m.take(layer, p)
    if problems is None:
        found.check(PolicyError)


# -- extends ----------------------------------------------------------------------------------


def compose(located: Located, overrides: tuple["Override", ...] = (), _stack: tuple[str, ...] = ()) -> Located:
    """Resolve ``extends`` and apply overrides; returns the located, merged document."""
    data = located.data
    if not isinstance(data, dict):
        return located
    if "extends" in data:
        _check_shape(located)
        result: Located = _extend(located, _stack)
    else:
        result = located
    if overrides:
        result = apply_overrides(result, overrides)
    return result


def _check_shape(located: Located) -> None:
    """Validate one file on its own before merging, so its errors name that file."""
    _raise_all(schema_errors(located, (), shape_validator().iter_errors(located.data)))


def _raise_all(errors: list[PolicyError]) -> None:
    if errors:
        raise PolicyError.of(p for e in errors for p in e.problems)


def _extend(located: Located, stack: tuple[str, ...]) -> Layered:
    me = _identity(located.file)
    stack = stack + (me,)
    if len(stack) > MAX_DEPTH:
        raise located.error(("extends",), f"policies extend each other more than {MAX_DEPTH} levels deep")
    raw = located.data["extends"]
    names = raw if isinstance(raw, list) else [raw]
    m = _Merge({}, {})
    for i, name in enumerate(names):
        at = ("extends", i) if isinstance(raw, list) else ("extends",)
        path = _resolve_parent(name, located, at, _root_folder(stack))
        ident = _identity(str(path))
        if ident in stack:
            chain = " → ".join(Path(s).name for s in stack[stack.index(ident):] + (ident,))
            raise located.error(at, f"extends {name!r} makes a cycle: {chain}")
        parent_doc = load_policy_file(path, lambda: read_text(path, f"the parent policy {str(path)!r}",
                                                              lambda message: located.error(at, message)))
        if not _looks_like_policy(parent_doc.data):  # say so without quoting it: it may be any file
            raise located.error(at, f"extends {name!r}: {display_path(path)} is not a policy file (no id, title "
                                    f"or clauses at its top level)")
        parent = compose(parent_doc, (), stack)
        if not isinstance(parent, Layered):
            _check_shape(parent)  # a plain parent is a whole policy: report its own mistakes in its own file
        _apply(m, parent.data, parent)
    _apply(m, located.data, located)
    m.data.pop("extends", None)
    for p in [p for p in m.origins if p[:1] == ("extends",)]:
        del m.origins[p]
    m.origins[()] = (located.file, 1, 1)
    return Layered(m.data, m.origins, located.file)


def _identity(file: str) -> str:
    try:
        return str(Path(file).resolve())
    except OSError:
        return file


_POLICY_KEYS = frozenset({"id", "title", "licensor", "terms_url", "clauses", "extends", "applies_to"})


def _looks_like_policy(data: Any) -> bool:
    return isinstance(data, dict) and bool(_POLICY_KEYS & {k for k in data if isinstance(k, str)})


def _root_folder(stack: tuple[str, ...]) -> Path:
    """Where parents may be read from: the folder of the policy the user named, and below it."""
    top = stack[0] if stack else ""
    return Path(top).parent if top and not top.startswith("<") else Path.cwd()


def _resolve_parent(name: str, child: Located, at: KeyPath, root: Path) -> Path:
    """A built-in policy, or a file beside the child (relative), inside the folder of the policy the user
    named: a policy cannot make the checker read /etc/shadow, or any file outside the policies' folder."""
    builtin = builtin_path(name)
    if builtin is not None:
        return builtin
    base = Path(child.file).parent if child.file and not child.file.startswith("<") else Path.cwd()
    candidates = [base / name]
    if not name.endswith((".yaml", ".yml")):
        candidates.append(base / f"{name}.yaml")
    for candidate in candidates:
        if candidate.is_file() or candidate.exists():
            if Path(name).is_absolute() or not inside(candidate, root):
                raise child.error(at, f"extends {name!r}: a parent policy must be a built-in policy or a file in "
                                      f"{display_path(root) or '.'} (the folder of the policy given) or below it")
            return candidate
    raise child.error(at, f"unknown parent policy {name!r}: not a built-in policy "
                          f"({', '.join(builtin_names())}) nor a file beside this one")


# -- override files ---------------------------------------------------------------------------


@dataclass
class Override:
    """A publisher's override file, loaded and shape-checked; ``used`` tracks which clause patches applied."""

    located: Located
    targets: tuple[str, ...] = ()
    used: set[str] = field(default_factory=set)

    @property
    def file(self) -> str:
        return self.located.file

    def applies_to(self, policy_id: str) -> bool:
        return not self.targets or policy_id in self.targets


def load_override(file: str, problems: Collector | None = None) -> Override:
    """Read and shape-check an override file.

    With ``problems``, its shape problems are added there and the override is still returned, so the
    policies it changes are built too and report the problems in its checks' options in the same run.
    """
    text = read_text(Path(file), "the override file", lambda message: PolicyError(message, file=file))
    located = load_located(text, file)
    if not isinstance(located.data, dict):
        raise located.error((), "an override file must be a mapping")
    errors = _validate_override(located)
    if errors and problems is None:
        _raise_all(errors)
    for error in errors:
        problems.add(error)  # type: ignore[union-attr]
    raw = located.data.get("policy")
    targets = tuple(str(t) for t in (raw if isinstance(raw, list) else [raw])) if raw else ()
    return Override(located, targets)


def _validate_override(located: Located) -> list[PolicyError]:
    import jsonschema

    schema = shallow_refs(override_schema())
    return schema_errors(located, (), jsonschema.Draft202012Validator(schema).iter_errors(located.data))


def apply_overrides(located: Located, overrides: tuple[Override, ...]) -> Layered:
    """Apply the overrides that target this policy, in the order given."""
    m = _Merge(copy.deepcopy(located.data), _origins_of(located))
    problems = Collector()
    if isinstance(located, Layered):
        problems.problems.extend(located.problems.problems)
    policy_id = located.data.get("id", "")
    for ov in overrides:
        if not ov.applies_to(policy_id):
            continue
        _apply(m, ov.located.data, ov.located, partial_ok=not ov.targets, used=ov.used, problems=problems)
    return Layered(m.data, m.origins, located.file, problems)


def check_overrides_used(overrides: tuple[Override, ...], clauses: dict[str, list[str]]) -> None:
    """An override's clause patch that changed no policy is almost certainly a typo: say so, for each.

    ``clauses`` maps each policy id checked to its clause ids (for "did you mean").
    """
    problems = Collector()
    known = sorted({c for ids in clauses.values() for c in ids})
    for ov in overrides:
        if ov.targets:
            continue  # a targeted patch for a missing clause was already refused when applied
        for cid in (ov.located.data.get("clauses") or {}):
            if cid not in ov.used:
                problems.add(ov.located.error(("clauses", cid), f"no policy checked here ({', '.join(clauses)}) "
                                                                f"has a clause {cid!r}{did_you_mean(cid, known)}"))
    problems.check(PolicyError)


__all__ = ["DISABLE", "Layered", "Override", "apply_overrides", "check_overrides_used", "compose",
           "load_override", "override_schema"]
