"""Load YAML safely while remembering where every key and value came from.

Policy errors must name file, line and key. ``yaml.safe_load`` throws the
positions away, so we compose the node graph (safe loader only: no Python
tags, no code) and build plain data plus a ``{path: line}`` map ourselves.
Duplicate keys, which YAML silently collapses, are reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from compliance.errors import PolicyError

if TYPE_CHECKING:
    import yaml
    from yaml.constructor import SafeConstructor

KeyPath = tuple[Any, ...]  # keys and list indexes from the document root to a value
MAX_NODES = 100_000
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"})


class Located:
    """Plain data from a YAML document with a line (and column) number for each path."""

    def __init__(self, data: Any, lines: dict[KeyPath, int], file: str, columns: dict[KeyPath, int] | None = None):
        self.data = data
        self.lines = lines
        self.file = file
        self.columns = columns or {}

    def line(self, path: KeyPath) -> int | None:
        """Line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def column(self, path: KeyPath) -> int | None:
        """Column of ``path`` itself, when its line is its own (an ancestor's line gets no column)."""
        return self.columns.get(tuple(path))

    def error(self, path: KeyPath, message: str) -> PolicyError:
        return PolicyError(message, file=self.file, line=self.line(path), column=self.column(path),
                           key=dotted(path))


def dotted(path: KeyPath) -> str:
    """``('clauses', 'logo', 'check')`` -> ``clauses.logo.check``; list items as ``[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def load_located(text: str, file: str) -> Located:
    import yaml  # here, not at the top: Located is read back from caches without PyYAML (policy.compiled)
    from yaml.constructor import SafeConstructor

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is much faster when present
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise PolicyError(f"invalid YAML: {exc.problem or exc}", file=file, line=line, column=column) from None
    except yaml.YAMLError as exc:
        raise PolicyError(f"invalid YAML: {exc}", file=file) from None
    if node is None:
        raise PolicyError("the file is empty", file=file, line=1)
    lines: dict[KeyPath, int] = {}
    columns: dict[KeyPath, int] = {}
    constructor = SafeConstructor()
    budget = [MAX_NODES]
    duplicates: list[PolicyError] = []
    data = _build(node, (), (lines, columns, duplicates), constructor, file, budget)
    if duplicates:  # every duplicate at once; the first of each was kept, so the rest of the file is sound
        raise PolicyError.of(p for e in duplicates for p in e.problems)
    return Located(data, lines, file, columns)


def _build(node: yaml.Node, path: KeyPath, seen: tuple[dict, dict, list], ctor: SafeConstructor, file: str,
           budget: list[int]) -> Any:
    import yaml

    lines, columns, duplicates = seen
    budget[0] -= 1
    if budget[0] < 0:  # aliases can make a tiny file expand exponentially
        raise PolicyError(f"the document expands to more than {MAX_NODES} values (alias bomb?)", file=file,
                          line=node.start_mark.line + 1, key=dotted(path))
    lines[path] = node.start_mark.line + 1
    columns[path] = node.start_mark.column + 1
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
        raise PolicyError(f"the YAML tag {node.tag!r} is not allowed: policies are plain data", file=file,
                          line=node.start_mark.line + 1, key=dotted(path))
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise PolicyError("YAML merge keys (<<) are not supported", file=file,
                                  line=key_node.start_mark.line + 1, key=dotted(path))
            key = _scalar(key_node, ctor, file, path)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise PolicyError("mapping keys must be plain strings", file=file,
                                  line=key_node.start_mark.line + 1, key=dotted(path))
            key = str(key) if not isinstance(key, str) else key
            if key in out:
                duplicates.append(PolicyError(f"duplicate key {key!r} (the first one counts)", file=file,
                                              line=key_node.start_mark.line + 1,
                                              column=key_node.start_mark.column + 1, key=dotted(path + (key,))))
                continue
            out[key] = _build(value_node, path + (key,), seen, ctor, file, budget)
            lines[path + (key,)] = key_node.start_mark.line + 1
            columns[path + (key,)] = key_node.start_mark.column + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), seen, ctor, file, budget) for i, item in enumerate(node.value)]
    return _scalar(node, ctor, file, path)


def _scalar(node: yaml.Node, ctor: SafeConstructor, file: str, path: KeyPath) -> Any:
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        raise PolicyError("expected a plain value here", file=file, line=node.start_mark.line + 1, key=dotted(path))
    try:
        value = ctor.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise PolicyError(f"invalid value: {exc}", file=file, line=node.start_mark.line + 1,
                          key=dotted(path)) from None
    except ValueError:  # an impossible date such as 2025-02-30: keep the text, the caller judges it
        return node.value
    # Dates and timestamps become strings: policies compare them as text.
    if value is not None and not isinstance(value, (str, int, float, bool)):
        value = node.value
    return value
