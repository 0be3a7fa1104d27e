"""The JSON Schema files shipped in ``compliance/schema/``, generated from the check registry.

``policy_schema()`` is the one definition of the policy language: the
loader validates with it, and these files are copies for editors (the
``yaml-language-server`` comment on the first line of each policy) and for
other tools. ``compliance policy schema --write`` regenerates them; a test
fails when they drift.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from compliance.resources import SCHEMA_DIR


def generated() -> dict[str, dict[str, Any]]:
    """File name → schema, for every schema file generated from the code."""
    from compliance.policy.schema import override_schema, policy_schema

    return {"policy.schema.json": policy_schema(), "override.schema.json": override_schema()}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def stale(folder: Path = SCHEMA_DIR) -> list[str]:
    """Names of schema files that are missing or differ from the generated ones."""
    out = []
    for name, schema in generated().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != dumps(schema):
            out.append(name)
    return out


def write(folder: Path = SCHEMA_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in generated().items():
        path = folder / name
        path.write_text(dumps(schema), encoding="utf-8")
        written.append(path)
    return written
