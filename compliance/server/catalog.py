"""The policies a server offers: the built-in ones plus those in one configured folder, by id.

A request names policies by id only, looked up here; a path in a request is
just an unknown id. Every policy is loaded (so validated) when the server
starts, so a broken file stops the start with the loader's message instead
of failing requests later.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance.errors import UsageError
from compliance.policy.builtin import builtin_names, builtin_path
from compliance.policy.load import load_policy
from compliance.policy.model import Policy


@dataclass(frozen=True)
class PolicyCatalog:
    paths: dict[str, Path]       # id -> the file the workers load
    policies: dict[str, Policy]  # id -> loaded here, for descriptions and result headers

    @classmethod
    def load(cls, folder: Path | None = None) -> "PolicyCatalog":
        paths: dict[str, Path] = {}
        policies: dict[str, Policy] = {}
        for name in builtin_names():
            path = builtin_path(name)
            if path is not None:
                policies[name], paths[name] = load_policy(str(path)), path
        if folder is not None:
            for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
                policy = load_policy(str(path))
                if policy.id in paths:
                    raise UsageError(f"{path}: the policy id {policy.id!r} is taken already (by {paths[policy.id]}); "
                                     f"give this policy another id")
                policies[policy.id], paths[policy.id] = policy, path.resolve()
        return cls(paths, policies)

    def ids(self) -> list[str]:
        return sorted(self.paths)

    def unknown(self, ids: tuple[str, ...]) -> str | None:
        """The sentence for the first id this server does not offer, or None."""
        for pid in ids:
            if pid not in self.paths:
                return f"this server has no policy {pid!r} (it has: {', '.join(self.ids())})"
        return None

    def summary(self, pid: str) -> dict[str, Any]:
        p = self.policies[pid]
        return {"id": p.id, "title": p.title, "licensor": p.licensor, "terms_url": p.terms_url,
                "description": p.description, "clauses": sum(c.enabled for c in p.clauses)}
